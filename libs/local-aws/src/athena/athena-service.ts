import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ResourceNames } from '@plant/config';
import { AwsApiError, InputShapes, jsonProtocol } from '../aws-json-handler';
import type { ServiceRoute } from '../local-aws-stack';
import { AthenaEngine } from './athena-engine';
import { AthenaExecutions, LocalWorkGroup, QueryExecution } from './athena-executions';
import { LocalS3Paths, offsetOf, pageToken } from './athena-results';

/**
 * Athena's query API on the local stack (AWS JSON 1.1, `X-Amz-Target: AmazonAthena.<Operation>`),
 * DuckDB over the lake folder. https://docs.aws.amazon.com/athena/latest/APIReference/API_Operations.html
 */

/** Local results bucket of the `plant-analytics` work group (in AWS: the athena-results bucket, `results/`). */
export const LOCAL_ATHENA_RESULTS = 's3://plant-athena-results/results/';

/** Work groups of the local stack: infra's `plant-analytics` (dev cutoff, 1 GiB) and Athena's default `primary`. */
export const DEFAULT_WORK_GROUPS: LocalWorkGroup[] = [
  { name: ResourceNames.athenaWorkgroup, bytesScannedCutoffPerQuery: 1024 ** 3, outputLocation: LOCAL_ATHENA_RESULTS },
  { name: 'primary' },
];

export interface AthenaOptions {
  /** Folder of the lake bucket (`s3://plant-lake/`). */
  lakeDir: string;
  /** Data folder of the stack: executions under `<dataDir>/athena/`, other buckets under `<dataDir>/s3/`. Memory/temp when undefined. */
  dataDir?: string;
  workGroups?: LocalWorkGroup[];
}

/** GetQueryResults' page size cap (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html). */
const MAX_RESULTS = 1000;

const str = z.string().nullish();
const ATHENA_SHAPES: InputShapes = {
  StartQueryExecution: z.object({
    QueryString: str,
    ClientRequestToken: str,
    WorkGroup: str,
    QueryExecutionContext: z.object({ Database: str, Catalog: str }).nullish(),
    ResultConfiguration: z.object({ OutputLocation: str }).passthrough().nullish(),
    ExecutionParameters: z.array(z.string()).nullish(),
  }),
  GetQueryExecution: z.object({ QueryExecutionId: str }),
  StopQueryExecution: z.object({ QueryExecutionId: str }),
  GetQueryResults: z.object({ QueryExecutionId: str, NextToken: str, MaxResults: z.number().nullish() }),
  BatchGetQueryExecution: z.object({ QueryExecutionIds: z.array(z.string()).nullish() }),
};

export function athenaRoute(options: AthenaOptions): ServiceRoute & { executions: AthenaExecutions } {
  const engine = new AthenaEngine(options.lakeDir);
  const workGroups = new Map((options.workGroups ?? DEFAULT_WORK_GROUPS).map((w) => [w.name, w]));
  const s3Root = options.dataDir ? join(options.dataDir, 's3') : mkdtempSync(join(tmpdir(), 'local-aws-s3-'));
  const s3 = new LocalS3Paths(s3Root, { bucket: ResourceNames.lakeBucket, dir: options.lakeDir });
  const executions = new AthenaExecutions(engine, workGroups, s3, options.dataDir && join(options.dataDir, 'athena', 'executions'));

  const operations = {
    StartQueryExecution: (input: {
      QueryString?: string;
      WorkGroup?: string;
      QueryExecutionContext?: { Database?: string };
      ResultConfiguration?: { OutputLocation?: string };
      ExecutionParameters?: string[];
    }) => {
      if (!input.QueryString?.trim()) throw new AwsApiError('InvalidRequestException', 'QueryString must not be empty', 400, { AthenaErrorCode: 'INVALID_INPUT' });
      if (input.QueryString.length > 262144) throw new AwsApiError('InvalidRequestException', 'QueryString is longer than 262144 characters', 400, { AthenaErrorCode: 'INVALID_INPUT' });
      const id = executions.start({
        QueryString: input.QueryString,
        WorkGroup: input.WorkGroup ?? undefined,
        Database: input.QueryExecutionContext?.Database ?? undefined,
        ExecutionParameters: input.ExecutionParameters ?? undefined,
        OutputLocation: input.ResultConfiguration?.OutputLocation ?? undefined,
      });
      return { QueryExecutionId: id };
    },
    GetQueryExecution: (input: { QueryExecutionId?: string }) => ({ QueryExecution: executionShape(executions.get(input.QueryExecutionId)) }),
    BatchGetQueryExecution: (input: { QueryExecutionIds?: string[] }) => {
      const ids = input.QueryExecutionIds ?? [];
      const found = ids.flatMap((id) => {
        try {
          return [executionShape(executions.get(id))];
        } catch {
          return [];
        }
      });
      const missing = ids.filter((id) => !found.some((f) => f.QueryExecutionId === id));
      return { QueryExecutions: found, UnprocessedQueryExecutionIds: missing.map((id) => ({ QueryExecutionId: id, ErrorCode: 'INVALID_INPUT', ErrorMessage: 'not found' })) };
    },
    StopQueryExecution: (input: { QueryExecutionId?: string }) => {
      executions.stop(input.QueryExecutionId);
      return {};
    },
    GetQueryResults: (input: { QueryExecutionId?: string; NextToken?: string; MaxResults?: number }) => {
      const execution = executions.get(input.QueryExecutionId);
      const maxResults = input.MaxResults ?? MAX_RESULTS;
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
        throw new AwsApiError('InvalidRequestException', `MaxResults must be between 1 and ${MAX_RESULTS}, got ${maxResults}`, 400, { AthenaErrorCode: 'INVALID_INPUT' });
      }
      const state = execution.Status.State;
      if (state !== 'SUCCEEDED') throw new AwsApiError('InvalidRequestException', `Query has not yet finished. Current state: ${state}`, 400, { AthenaErrorCode: 'INVALID_INPUT' });
      // The header row is the first row of the first page and counts against MaxResults, as in Athena.
      const rows = executions.resultRows(execution);
      const offset = input.NextToken ? offsetOf(input.NextToken, execution.QueryExecutionId) : 0;
      const page = rows.slice(offset, offset + maxResults);
      const next = offset + maxResults < rows.length ? pageToken(execution.QueryExecutionId, offset + maxResults) : undefined;
      return {
        UpdateCount: 0,
        ResultSet: {
          Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
          ResultSetMetadata: { ColumnInfo: (execution.columns ?? []).map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', ...c })) },
        },
        ...(next ? { NextToken: next } : {}),
      };
    },
  };

  return {
    name: 'athena',
    targetPrefix: 'AmazonAthena.',
    handler: jsonProtocol(operations, 'application/x-amz-json-1.1', ATHENA_SHAPES),
    executions,
    close: async () => {
      engine.close();
    },
  };
}

/** The execution as the API returns it (without the local column cache). */
function executionShape(execution: QueryExecution): Omit<QueryExecution, 'columns'> {
  const { columns: _columns, ...shape } = execution;
  return shape;
}
