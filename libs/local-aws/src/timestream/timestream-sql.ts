import { sqlSegments } from '../sql-segments';

/**
 * Timestream SQL → DuckDB SQL, for the few Timestream functions the platform's queries use.
 *
 * The translation only renames tokens outside string literals, quoted identifiers and comments;
 * the semantics live in DuckDB macros (`TIMESTREAM_MACROS`) so nesting and argument expressions are
 * left to DuckDB's own parser. `"db"."table"` needs no translation: each Timestream database is a
 * DuckDB schema and each Timestream table a view in it.
 *
 * | Timestream                         | DuckDB                                                        |
 * |------------------------------------|---------------------------------------------------------------|
 * | `bin(time, 1m)`                    | `ts_bin(time, INTERVAL '1 minute')` → `time_bucket(…, epoch)` |
 * | `ago(15m)`                         | `ts_ago(INTERVAL '15 minute')` → `now()::TIMESTAMP - …`       |
 * | `now()`                            | `ts_now()` → `now()::TIMESTAMP` (UTC)                         |
 * | `1ns 1us 1ms 1s 1m 1h 1d`          | `INTERVAL '1 …'` (ns rounded down to µs)                      |
 * | `measure_value::double` (etc.)     | `"measure_value::double"` (a column, not a cast)              |
 * | `from_milliseconds(x)`             | `ts_from_milliseconds(x)` → `make_timestamp(x * 1000)`        |
 * | `to_milliseconds(t)`               | `epoch_ms(t)`                                                 |
 * | `approx_percentile(x, p)`          | `quantile_cont(x, p)` (exact: what AWS approximates, so tests can compare) |
 */

/** Macros every query connection defines (TEMP: they must not be persisted in the data file). */
export const TIMESTREAM_MACROS = [
  // Timestream bins are aligned to the Unix epoch; DuckDB's default origin is 2000-01-03.
  `CREATE OR REPLACE TEMP MACRO ts_bin(t, i) AS time_bucket(i, CAST(t AS TIMESTAMP), TIMESTAMP '1970-01-01')`,
  // Stored times are naive UTC TIMESTAMP_NS; DuckDB's now() is TIMESTAMPTZ and cannot be compared with them.
  `CREATE OR REPLACE TEMP MACRO ts_now() AS CAST(now() AS TIMESTAMP)`,
  `CREATE OR REPLACE TEMP MACRO ts_ago(i) AS CAST(now() AS TIMESTAMP) - i`,
  `CREATE OR REPLACE TEMP MACRO ts_from_milliseconds(x) AS make_timestamp(CAST(x AS BIGINT) * 1000)`,
];

const DURATION_UNITS: Record<string, (n: bigint) => string> = {
  ns: (n) => `INTERVAL '${n / 1000n} microsecond'`,
  us: (n) => `INTERVAL '${n} microsecond'`,
  ms: (n) => `INTERVAL '${n} millisecond'`,
  s: (n) => `INTERVAL '${n} second'`,
  m: (n) => `INTERVAL '${n} minute'`,
  h: (n) => `INTERVAL '${n} hour'`,
  d: (n) => `INTERVAL '${n} day'`,
};

/** The rename rules applied to unquoted SQL text, in order. */
const RULES: Array<[RegExp, (...groups: string[]) => string]> = [
  [/\bbin\s*\(/gi, () => 'ts_bin('],
  [/\bago\s*\(/gi, () => 'ts_ago('],
  [/\bnow\s*\(\s*\)/gi, () => 'ts_now()'],
  [/\bfrom_milliseconds\s*\(/gi, () => 'ts_from_milliseconds('],
  [/\bto_milliseconds\s*\(/gi, () => 'epoch_ms('],
  [/\bapprox_percentile\s*\(/gi, () => 'quantile_cont('],
  [/\bmeasure_value::(double|bigint|varchar|boolean|timestamp)\b/gi, (_m, type) => `"measure_value::${type.toLowerCase()}"`],
  // A duration literal: digits directly followed by a unit, not part of an identifier or a decimal.
  [/(?<![\w.])(\d+)(ns|us|ms|s|m|h|d)\b/g, (_m, n, unit) => DURATION_UNITS[unit](BigInt(n))],
];

/** Translates one Timestream query to DuckDB SQL (literals, quoted identifiers and comments untouched). Pure; see the table above. */
export function translateTimestreamSql(sql: string): string {
  return sqlSegments(sql)
    .map((segment) => (segment.code ? RULES.reduce((text, [pattern, replace]) => text.replace(pattern, replace as never), segment.text) : segment.text))
    .join('');
}
