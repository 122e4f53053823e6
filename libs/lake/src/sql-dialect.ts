/**
 * The few spots where DuckDB (local runner) and Spark SQL 3.5 (Glue 5.1) differ for the lake's
 * transforms. Everything else in the transforms is the SQL both engines read the same way
 * (CREATE OR REPLACE TEMPORARY VIEW, window functions, CASE, CAST, try_cast, greatest/least,
 * UNION ALL, `%` on BIGINT, DATE literals); a function missing here is a function the transforms
 * must not use. Both engines run with the session time zone UTC (the runners set it).
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'spark';
  /** TRUE when `text` is a JSON object (malformed lines and arrays are rejects, never errors). */
  isJsonObject(text: string): string;
  /** A struct of the named fields, each as its JSON text (strings unquoted), NULL when absent. */
  parseJsonObject(text: string, fields: readonly string[]): string;
  /** An ISO-8601 text with its offset as a UTC TIMESTAMP, NULL when it is not a time. */
  isoToUtcTimestamp(text: string): string;
  /** Milliseconds since the epoch (BIGINT) of a TIMESTAMP. */
  epochMs(timestamp: string): string;
  /** The TIMESTAMP of a number of milliseconds since the epoch. */
  timestampOfMs(ms: string): string;
}

export const DUCKDB: SqlDialect = {
  name: 'duckdb',
  // json_type raises on invalid JSON, and CASE evaluates its branch only for the rows it selects.
  isJsonObject: (text) => `(CASE WHEN json_valid(${text}) THEN json_type(${text}) = 'OBJECT' ELSE false END)`,
  parseJsonObject: (text, fields) => `json_transform(${text}, '{${fields.map((f) => `"${f}":"VARCHAR"`).join(',')}}')`,
  isoToUtcTimestamp: (text) => `CAST(try_cast(${text} AS TIMESTAMPTZ) AS TIMESTAMP)`,
  epochMs: (timestamp) => `epoch_ms(${timestamp})`,
  timestampOfMs: (ms) => `epoch_ms(CAST(${ms} AS BIGINT))`,
};

export const SPARK: SqlDialect = {
  name: 'spark',
  // NULL for malformed JSON and for anything but an object (Spark 3.1+).
  isJsonObject: (text) => `(json_object_keys(${text}) IS NOT NULL)`,
  // A STRING field takes any JSON value as its text (Spark's JacksonParser), like DuckDB's VARCHAR.
  parseJsonObject: (text, fields) => `from_json(${text}, '${fields.map((f) => `${f} STRING`).join(', ')}')`,
  isoToUtcTimestamp: (text) => `try_cast(${text} AS TIMESTAMP)`,
  epochMs: (timestamp) => `unix_millis(${timestamp})`,
  timestampOfMs: (ms) => `timestamp_millis(CAST(${ms} AS BIGINT))`,
};

export const DIALECTS = { duckdb: DUCKDB, spark: SPARK } as const;
