import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { AwsApiError } from '../aws-json-handler';
import { AthenaEngine, QueryInterrupted, ResultColumn } from './athena-engine';
import { LocalS3Paths, readResultCsv, writeResultCsv } from './athena-results';
import { assertQuery, bindExecutionParameters, translateAthenaSql } from './athena-sql';

export type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/** A work group as the local stack declares it (infra's `plant-analytics` in LakeCatalog). */
export interface LocalWorkGroup {
  name: string;
  /** Athena cancels a query that scans more (BytesScannedCutoffPerQuery); undefined = no limit. */
  bytesScannedCutoffPerQuery?: number;
  /** Enforced output location (EnforceWorkGroupConfiguration), `s3://bucket/prefix/`. */
  outputLocation?: string;
}

/** What GetQueryExecution returns, plus the result's column metadata for GetQueryResults after a restart. */
export interface QueryExecution {
  QueryExecutionId: string;
  Query: string;
  StatementType: 'DML' | 'UTILITY';
  WorkGroup: string;
  QueryExecutionContext: { Database: string; Catalog: string };
  ExecutionParameters?: string[];
  ResultConfiguration: { OutputLocation: string };
  EngineVersion: { SelectedEngineVersion: string; EffectiveEngineVersion: string };
  Status: {
    State: QueryState;
    StateChangeReason?: string;
    SubmissionDateTime: number;
    CompletionDateTime?: number;
    AthenaError?: { ErrorCategory: number; ErrorType: number; Retryable: boolean; ErrorMessage: string };
  };
  Statistics: {
    EngineExecutionTimeInMillis?: number;
    DataScannedInBytes?: number;
    TotalExecutionTimeInMillis?: number;
    QueryQueueTimeInMillis?: number;
    /** Not an Athena field: lake files read after partition pruning (shown by the local stack only). */
    LocalFilesRead?: number;
  };
  columns?: ResultColumn[];
}

export interface StartInput {
  QueryString: string;
  WorkGroup?: string;
  Database?: string;
  ExecutionParameters?: string[];
  OutputLocation?: string;
}

/** Queries running at once; more wait QUEUED (like a work group's capacity). */
const CONCURRENCY = 2;
/** Finished results kept in memory for GetQueryResults; older ones are read back from their CSV. */
const RESULTS_IN_MEMORY = 64;

/**
 * Query executions of the local Athena: asynchronous (QUEUED → RUNNING → SUCCEEDED | FAILED |
 * CANCELLED), one JSON file per execution under `<dataDir>/athena/executions/` so they survive a
 * restart. An execution that was queued or running when the stack stopped is FAILED on the next start
 * (its DuckDB run died with the process), with a retryable system error, as Athena reports an internal failure.
 */
export class AthenaExecutions {
  private readonly executions = new Map<string, QueryExecution>();
  private readonly results = new Map<string, (string | null)[][]>();
  private readonly running = new Map<string, DuckDBConnection>();
  private readonly queue: Array<{ id: string; sql: string }> = [];
  private active = 0;

  constructor(
    private readonly engine: AthenaEngine,
    private readonly workGroups: Map<string, LocalWorkGroup>,
    private readonly s3: LocalS3Paths,
    private readonly stateDir?: string,
  ) {
    if (stateDir) this.load(stateDir);
  }

  private load(dir: string): void {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const execution = JSON.parse(readFileSync(join(dir, name), 'utf8')) as QueryExecution;
      if (execution.Status.State === 'QUEUED' || execution.Status.State === 'RUNNING') {
        this.finish(execution, 'FAILED', 'The local Athena stopped while the query was queued or running; start it again', {
          ErrorCategory: 1,
          ErrorType: 100,
          Retryable: true,
        });
      }
      this.executions.set(execution.QueryExecutionId, execution);
    }
  }

  private persist(execution: QueryExecution): void {
    if (!this.stateDir) return;
    const path = join(this.stateDir, `${execution.QueryExecutionId}.json`);
    writeFileSync(`${path}.partial`, JSON.stringify(execution));
    renameSync(`${path}.partial`, path);
  }

  start(input: StartInput): string {
    const workGroup = this.workGroups.get(input.WorkGroup ?? 'primary');
    if (!workGroup) throw new AwsApiError('InvalidRequestException', `WorkGroup ${input.WorkGroup} is not found.`, 400, { AthenaErrorCode: 'INVALID_INPUT' });
    const outputLocation = workGroup.outputLocation ?? input.OutputLocation;
    if (!outputLocation) {
      throw new AwsApiError('InvalidRequestException', 'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.', 400, {
        AthenaErrorCode: 'INVALID_INPUT',
      });
    }
    this.s3.pathOf(outputLocation);
    const bound = bindExecutionParameters(input.QueryString, input.ExecutionParameters);
    assertQuery(bound);
    const id = randomUUID();
    const execution: QueryExecution = {
      QueryExecutionId: id,
      Query: input.QueryString,
      StatementType: 'DML',
      WorkGroup: workGroup.name,
      QueryExecutionContext: { Database: input.Database ?? 'default', Catalog: 'AwsDataCatalog' },
      ...(input.ExecutionParameters?.length ? { ExecutionParameters: input.ExecutionParameters } : {}),
      ResultConfiguration: { OutputLocation: `${outputLocation.replace(/\/?$/, '/')}${id}.csv` },
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
      Status: { State: 'QUEUED', SubmissionDateTime: Date.now() / 1000 },
      Statistics: {},
    };
    this.executions.set(id, execution);
    this.persist(execution);
    this.queue.push({ id, sql: translateAthenaSql(bound) });
    setImmediate(() => this.drain());
    return id;
  }

  get(id: unknown): QueryExecution {
    const execution = typeof id === 'string' ? this.executions.get(id) : undefined;
    if (!execution) throw new AwsApiError('InvalidRequestException', `QueryExecution ${String(id)} was not found`, 400, { AthenaErrorCode: 'INVALID_INPUT' });
    return execution;
  }

  stop(id: unknown): void {
    const execution = this.get(id);
    if (execution.Status.State !== 'QUEUED' && execution.Status.State !== 'RUNNING') return;
    this.running.get(execution.QueryExecutionId)?.interrupt();
    this.finish(execution, 'CANCELLED', 'Query was cancelled by user');
  }

  /** The result rows (header first) of a SUCCEEDED execution. */
  resultRows(execution: QueryExecution): (string | null)[][] {
    const cached = this.results.get(execution.QueryExecutionId);
    if (cached) return cached;
    const rows = readResultCsv(this.s3.pathOf(execution.ResultConfiguration.OutputLocation));
    this.remember(execution.QueryExecutionId, rows);
    return rows;
  }

  private remember(id: string, rows: (string | null)[][]): void {
    this.results.set(id, rows);
    if (this.results.size > RESULTS_IN_MEMORY) this.results.delete(this.results.keys().next().value!);
  }

  private drain(): void {
    while (this.active < CONCURRENCY && this.queue.length) {
      const next = this.queue.shift()!;
      const execution = this.executions.get(next.id)!;
      if (execution.Status.State !== 'QUEUED') continue;
      this.active++;
      void this.execute(execution, next.sql).finally(() => {
        this.active--;
        this.drain();
      });
    }
  }

  private async execute(execution: QueryExecution, sql: string): Promise<void> {
    const startedAt = Date.now();
    execution.Status.State = 'RUNNING';
    execution.Statistics.QueryQueueTimeInMillis = startedAt - execution.Status.SubmissionDateTime * 1000;
    this.persist(execution);
    const id = execution.QueryExecutionId;
    try {
      const result = await this.engine.run(id, sql, execution.QueryExecutionContext.Database, (c) => this.running.set(id, c));
      if (this.isFinal(execution)) return;
      Object.assign(execution.Statistics, {
        EngineExecutionTimeInMillis: Date.now() - startedAt,
        DataScannedInBytes: result.bytesScanned,
        LocalFilesRead: result.filesRead,
      });
      const cutoff = this.workGroups.get(execution.WorkGroup)?.bytesScannedCutoffPerQuery;
      if (cutoff !== undefined && result.bytesScanned > cutoff) {
        // Athena cancels a query past its work group's data usage control.
        this.finish(execution, 'CANCELLED', `Bytes scanned limit was exceeded: ${result.bytesScanned} bytes scanned, the work group ${execution.WorkGroup} allows ${cutoff}`, {
          ErrorCategory: 2,
          ErrorType: 1000,
          Retryable: false,
        });
        return;
      }
      const rows = [result.columns.map((c) => c.Name), ...result.rows];
      writeResultCsv(this.s3.pathOf(execution.ResultConfiguration.OutputLocation), rows[0] as string[], result.rows);
      execution.columns = result.columns;
      this.remember(id, rows);
      this.finish(execution, 'SUCCEEDED');
    } catch (err) {
      if (this.isFinal(execution) || err instanceof QueryInterrupted) return;
      // Athena reports bad SQL (syntax, unknown table or column) as a FAILED query, category USER.
      const message = (err instanceof Error ? err.message : String(err)).split('\n')[0].replace(/^Error: /, '');
      const kind = /Table with name/i.test(message)
        ? 'TABLE_NOT_FOUND'
        : /column .* not found/i.test(message)
          ? 'COLUMN_NOT_FOUND'
          : /Parser Error/i.test(message)
            ? 'SYNTAX_ERROR'
            : 'GENERIC_USER_ERROR';
      this.finish(execution, 'FAILED', `${kind}: ${message}`, { ErrorCategory: 2, ErrorType: 1000, Retryable: false });
    } finally {
      this.running.delete(id);
      execution.Statistics.TotalExecutionTimeInMillis = Date.now() - execution.Status.SubmissionDateTime * 1000;
      this.persist(execution);
    }
  }

  private isFinal(execution: QueryExecution): boolean {
    return execution.Status.State !== 'QUEUED' && execution.Status.State !== 'RUNNING';
  }

  private finish(execution: QueryExecution, state: QueryState, reason?: string, error?: Omit<NonNullable<QueryExecution['Status']['AthenaError']>, 'ErrorMessage'>): void {
    execution.Status.State = state;
    execution.Status.CompletionDateTime = Date.now() / 1000;
    if (reason) execution.Status.StateChangeReason = reason;
    if (reason && error) execution.Status.AthenaError = { ...error, ErrorMessage: reason };
    this.persist(execution);
  }
}
