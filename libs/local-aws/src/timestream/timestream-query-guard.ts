import type { DuckDBConnection } from '@duckdb/node-api';
import { AwsApiError } from '../aws-json-handler';

/** Checks that `sql` is one SELECT (or WITH … SELECT) statement; Timestream queries are read-only. */
export async function assertReadOnlyQuery(db: DuckDBConnection, sql: string): Promise<void> {
  const statements = await db.extractStatements(sql);
  if (statements.count !== 1) throw new AwsApiError('ValidationException', 'The query must be exactly one SELECT statement.');
  if (!/^\s*(\(\s*)*(select|with)\b/i.test(sql.replace(/^\s*--.*$/gm, ''))) {
    throw new AwsApiError('ValidationException', 'Only SELECT queries are supported.');
  }
}
