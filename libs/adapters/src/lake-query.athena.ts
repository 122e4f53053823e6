import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  QueryExecutionState,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { lakeLiteral, LakeQuery, LakeQueryError, LakeQueryOptions, LakeResult, LakeStatement } from '@plant/domain';

export interface AthenaLakeQueryOptions {
  workGroup: string;
  /** Glue database of the lake tables. */
  database: string;
  /** A query still running after this long is stopped (StopQueryExecution) and fails with TIMEOUT. */
  timeoutMs: number;
  /** First poll delay; doubles per poll up to `maxPollMs` (Athena queries take 100 ms to minutes). */
  firstPollMs?: number;
  maxPollMs?: number;
}

/** GetQueryResults' largest page (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html). */
const PAGE_SIZE = 1000;

/**
 * LakeQuery on Athena: StartQueryExecution with the statement's parameters as
 * `ExecutionParameters` (validated literals, never spliced into the text), GetQueryExecution polled
 * with a doubling backoff, GetQueryResults followed through `NextToken`. A query whose caller
 * aborts or that runs past the timeout is stopped in Athena, so nobody pays for an answer nobody
 * reads. SDK errors leave as LakeQueryError codes.
 */
export class AthenaLakeQuery implements LakeQuery {
  constructor(
    private readonly client: AthenaClient,
    private readonly options: AthenaLakeQueryOptions,
  ) {}

  async query(statement: LakeStatement, { signal }: LakeQueryOptions = {}): Promise<LakeResult> {
    if (signal?.aborted) throw new LakeQueryError('CANCELLED', 'The caller cancelled the lake query.');
    const parameters = statement.parameters.map(lakeLiteral);
    const { QueryExecutionId: id } = await this.send(() =>
      this.client.send(
        new StartQueryExecutionCommand({
          QueryString: statement.sql,
          WorkGroup: this.options.workGroup,
          QueryExecutionContext: { Database: this.options.database },
          ...(parameters.length ? { ExecutionParameters: parameters } : {}),
        }),
      ),
    );
    await this.waitFor(id!, signal);
    return this.results(id!);
  }

  private async waitFor(id: string, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + this.options.timeoutMs;
    let delay = this.options.firstPollMs ?? 50;
    for (;;) {
      const { QueryExecution: execution } = await this.send(() => this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })));
      const status = execution?.Status;
      switch (status?.State) {
        case QueryExecutionState.SUCCEEDED:
          return;
        case QueryExecutionState.FAILED:
          throw new LakeQueryError('FAILED', `Athena query ${id} failed: ${status.StateChangeReason ?? 'no reason given'}`);
        case QueryExecutionState.CANCELLED:
          throw /bytes scanned limit/i.test(status.StateChangeReason ?? '')
            ? new LakeQueryError('TOO_EXPENSIVE', 'The report would scan more data than the work group allows; ask for a shorter range.')
            : new LakeQueryError('CANCELLED', `Athena query ${id} was cancelled: ${status.StateChangeReason ?? ''}`);
        case QueryExecutionState.QUEUED:
        case QueryExecutionState.RUNNING:
        case undefined:
          break;
      }
      const wait = Math.min(delay, deadline - Date.now());
      if (wait <= 0) {
        await this.stop(id);
        throw new LakeQueryError('TIMEOUT', `The lake query ran past its ${this.options.timeoutMs} ms timeout and was stopped.`);
      }
      if (await aborted(signal, wait)) {
        await this.stop(id);
        throw new LakeQueryError('CANCELLED', 'The caller cancelled the lake query; it was stopped.');
      }
      delay = Math.min(delay * 2, this.options.maxPollMs ?? 1000);
    }
  }

  /** Every row, header row dropped; pages follow NextToken. */
  private async results(id: string): Promise<LakeResult> {
    const result: LakeResult = { columns: [], rows: [] };
    let nextToken: string | undefined;
    let first = true;
    do {
      const page = await this.send(() => this.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: PAGE_SIZE, NextToken: nextToken })));
      if (first) result.columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ name: c.Name!, type: c.Type! }));
      const rows = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
      result.rows.push(...(first ? rows.slice(1) : rows));
      first = false;
      nextToken = page.NextToken;
    } while (nextToken);
    return result;
  }

  /** Best effort: a query that already finished needs no stop, and a failed stop must not hide the timeout. */
  private async stop(id: string): Promise<void> {
    await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
  }

  /** SDK errors → port errors: Athena refusing the request is our statement's fault, anything else an outage. */
  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const name = (err as { name?: string }).name;
      const message = err instanceof Error ? err.message : String(err);
      if (name === 'InvalidRequestException') throw new LakeQueryError('FAILED', `Athena refused the query: ${message}`);
      throw new LakeQueryError('UNAVAILABLE', `Athena is unavailable: ${message}`);
    }
  }
}

/** Waits `ms`; true when the signal aborted first. */
function aborted(signal: AbortSignal | undefined, ms: number): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(true);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
