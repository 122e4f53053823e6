import { randomUUID } from 'node:crypto';
import { AwsApiError } from '../aws-json-handler';

/**
 * DuckDB results in Timestream Query's response shape (ColumnInfo / Rows / Data / ScalarValue) and
 * NextToken paging. Timestream answers a page of at most MaxRows rows or about 1 MB; the rest is
 * fetched with NextToken and the same QueryString.
 * https://docs.aws.amazon.com/timestream/latest/developerguide/API_query_Query.html
 */

export interface ScalarDatum {
  ScalarValue?: string;
  NullValue?: boolean;
}
export interface TimestreamPage {
  QueryId: string;
  NextToken?: string;
  ColumnInfo: Array<{ Name: string; Type: { ScalarType: string } }>;
  Rows: Array<{ Data: ScalarDatum[] }>;
  QueryStatus: { ProgressPercentage: number; CumulativeBytesScanned: number; CumulativeBytesMetered: number };
}

const PAGE_BYTES = 1_000_000;
const MAX_ROWS_LIMIT = 1000;
const TOKEN_TTL_MS = 10 * 60_000;

/** Timestream's scalar type of a DuckDB column type. */
export function timestreamType(duckType: string): string {
  const t = duckType.toUpperCase();
  if (t === 'VARCHAR') return 'VARCHAR';
  if (t === 'DOUBLE' || t === 'FLOAT' || t.startsWith('DECIMAL')) return 'DOUBLE';
  if (['BIGINT', 'HUGEINT', 'UBIGINT', 'UINTEGER'].includes(t)) return 'BIGINT';
  if (['INTEGER', 'SMALLINT', 'TINYINT', 'USMALLINT', 'UTINYINT'].includes(t)) return 'INTEGER';
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if (t.startsWith('TIMESTAMP')) return 'TIMESTAMP';
  if (t === 'DATE') return 'DATE';
  if (t === 'TIME') return 'TIME';
  if (t === 'INTERVAL') return 'INTERVAL_DAY_TO_SECOND';
  if (t === 'NULL') return 'UNKNOWN';
  return 'VARCHAR';
}

/** A DuckDB JSON value formatted the way Timestream prints that type in ScalarValue. */
export function scalarDatum(value: unknown, type: string): ScalarDatum {
  if (value === null || value === undefined) return { NullValue: true };
  switch (type) {
    case 'TIMESTAMP':
      return { ScalarValue: timestampText(String(value)) };
    case 'DOUBLE':
      return { ScalarValue: typeof value === 'number' && Number.isInteger(value) ? value.toFixed(1) : String(value) };
    case 'INTERVAL_DAY_TO_SECOND':
      return { ScalarValue: intervalText(value as { days: number; micros: string }) };
    default:
      return { ScalarValue: typeof value === 'object' ? JSON.stringify(value) : String(value) };
  }
}

/** `2024-01-01 10:00:00.5+00` → `2024-01-01 10:00:00.500000000`: Timestream always prints nanoseconds. */
function timestampText(text: string): string {
  const [, base, fraction = ''] = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(text) ?? [undefined, text];
  return `${base}.${fraction.padEnd(9, '0')}`;
}

function intervalText({ days, micros }: { days: number; micros: string }): string {
  let rest = BigInt(micros);
  const hours = rest / 3_600_000_000n;
  rest -= hours * 3_600_000_000n;
  const minutes = rest / 60_000_000n;
  rest -= minutes * 60_000_000n;
  const seconds = rest / 1_000_000n;
  const fraction = (rest - seconds * 1_000_000n).toString().padStart(6, '0');
  const two = (n: bigint) => n.toString().padStart(2, '0');
  return `${days} ${two(hours)}:${two(minutes)}:${two(seconds)}.${fraction}000`;
}

interface CachedResult {
  queryString: string;
  columns: TimestreamPage['ColumnInfo'];
  rows: Array<{ Data: ScalarDatum[] }>;
  expiresAt: number;
}

/** Finished query results kept for their NextToken pages. */
export class QueryResultPages {
  private readonly results = new Map<string, CachedResult>();

  /** Stores a finished result and answers its first page. */
  first(queryString: string, names: string[], duckTypes: string[], rows: unknown[][], maxRows?: number): TimestreamPage {
    this.evictExpired();
    const types = duckTypes.map(timestreamType);
    const result: CachedResult = {
      queryString,
      columns: names.map((Name, i) => ({ Name, Type: { ScalarType: types[i] } })),
      rows: rows.map((row) => ({ Data: row.map((v, i) => scalarDatum(v, types[i])) })),
      expiresAt: Date.now() + TOKEN_TTL_MS,
    };
    const queryId = `AEBQEAN${randomUUID().replace(/-/g, '').toUpperCase()}`;
    this.results.set(queryId, result);
    return this.page(queryId, result, 0, maxRows);
  }

  /** The page a NextToken points at; the QueryString must be the one that produced the token. */
  next(nextToken: string, queryString: string, maxRows?: number): TimestreamPage {
    this.evictExpired();
    const [queryId, offsetText] = Buffer.from(nextToken, 'base64url').toString('utf8').split(':');
    const result = this.results.get(queryId);
    if (!result || !/^\d+$/.test(offsetText ?? '')) throw new AwsApiError('ValidationException', 'The NextToken is invalid or has expired.');
    if (result.queryString !== queryString) {
      throw new AwsApiError('ValidationException', 'The QueryString must be the same as in the request that returned the NextToken.');
    }
    return this.page(queryId, result, Number(offsetText), maxRows);
  }

  private page(queryId: string, result: CachedResult, offset: number, maxRows?: number): TimestreamPage {
    if (maxRows !== undefined && (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > MAX_ROWS_LIMIT)) {
      throw new AwsApiError('ValidationException', `MaxRows must be between 1 and ${MAX_ROWS_LIMIT}.`);
    }
    const rows: CachedResult['rows'] = [];
    let bytes = 0;
    for (let i = offset; i < result.rows.length && rows.length < (maxRows ?? Infinity); i++) {
      bytes += JSON.stringify(result.rows[i]).length;
      if (rows.length > 0 && bytes > PAGE_BYTES) break;
      rows.push(result.rows[i]);
    }
    const end = offset + rows.length;
    const done = end >= result.rows.length;
    if (done) this.results.delete(queryId);
    return {
      QueryId: queryId,
      ...(done ? {} : { NextToken: Buffer.from(`${queryId}:${end}`).toString('base64url') }),
      ColumnInfo: result.columns,
      Rows: rows,
      QueryStatus: { ProgressPercentage: 100, CumulativeBytesScanned: 0, CumulativeBytesMetered: 0 },
    };
  }

  private evictExpired(): void {
    const now = Date.now();
    for (const [id, r] of this.results) if (r.expiresAt < now) this.results.delete(id);
  }
}
