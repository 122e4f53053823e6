import { AwsApiError } from '../aws-json-handler';
import { sqlSegments } from '../sql-segments';

/**
 * Athena (Trino) SQL → DuckDB SQL, for the few Trino functions the platform's report queries use.
 *
 * Like the Timestream translation: only tokens outside string literals, quoted identifiers and
 * comments are renamed; the semantics live in DuckDB macros (`ATHENA_MACROS`) so nesting and
 * argument expressions are left to DuckDB's parser.
 *
 * | Athena / Trino                           | DuckDB                                                  |
 * |------------------------------------------|---------------------------------------------------------|
 * | `date_add('day', n, t)`                  | `trino_date_add('day', n, t)` → `t + to_days(n)` (second … year) |
 * | `approx_percentile(x, p)`                | `approx_quantile(x, p)`                                 |
 * | `from_iso8601_timestamp(s)`              | `trino_from_iso8601_timestamp(s)` → `CAST(CAST(s AS TIMESTAMPTZ) AS TIMESTAMP)` (UTC) |
 * | `from_iso8601_date(s)`                   | `CAST(s AS DATE)` (macro)                               |
 * | `to_iso8601(t)`                          | `strftime(t, '%Y-%m-%dT%H:%M:%S.%gZ')` (macro)          |
 * | `to_unixtime(t)` / `from_unixtime(x)`    | `epoch(t)` / `make_timestamp(x × 1e6)` (macros, UTC)    |
 * | `regexp_like(s, p)`                      | `regexp_matches(s, p)`                                  |
 * | `cardinality(a)`                         | `len(a)`                                                |
 * | `awsdatacatalog.db.t`                    | `db.t` (one catalog locally)                            |
 *
 * `date_diff(unit, a, b)`, `date_trunc`, `DATE '…'`, `TIMESTAMP '…'`, window functions and
 * `CAST`/`TRY_CAST` mean the same in both and pass unchanged.
 */

/** Macros every query connection defines (TEMP: they live with the connection only). */
export const ATHENA_MACROS = [
  `CREATE OR REPLACE TEMP MACRO trino_date_add(u, n, t) AS t + CASE lower(u)
     WHEN 'millisecond' THEN to_milliseconds(n) WHEN 'second' THEN to_seconds(n) WHEN 'minute' THEN to_minutes(n)
     WHEN 'hour' THEN to_hours(n) WHEN 'day' THEN to_days(n) WHEN 'week' THEN to_weeks(n)
     WHEN 'month' THEN to_months(n) WHEN 'quarter' THEN to_months(3 * n) WHEN 'year' THEN to_years(n) END`,
  `CREATE OR REPLACE TEMP MACRO trino_from_iso8601_timestamp(s) AS CAST(CAST(s AS TIMESTAMPTZ) AS TIMESTAMP)`,
  `CREATE OR REPLACE TEMP MACRO trino_from_iso8601_date(s) AS CAST(s AS DATE)`,
  `CREATE OR REPLACE TEMP MACRO trino_to_iso8601(t) AS strftime(CAST(t AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  `CREATE OR REPLACE TEMP MACRO trino_to_unixtime(t) AS epoch(CAST(t AS TIMESTAMP))`,
  `CREATE OR REPLACE TEMP MACRO trino_from_unixtime(x) AS make_timestamp(CAST(CAST(x AS DOUBLE) * 1000000 AS BIGINT))`,
];

const RULES: Array<[RegExp, string]> = [
  [/\bdate_add\s*\(/gi, 'trino_date_add('],
  [/\bapprox_percentile\s*\(/gi, 'approx_quantile('],
  [/\bfrom_iso8601_timestamp\s*\(/gi, 'trino_from_iso8601_timestamp('],
  [/\bfrom_iso8601_date\s*\(/gi, 'trino_from_iso8601_date('],
  [/\bto_iso8601\s*\(/gi, 'trino_to_iso8601('],
  [/\bto_unixtime\s*\(/gi, 'trino_to_unixtime('],
  [/\bfrom_unixtime\s*\(/gi, 'trino_from_unixtime('],
  [/\bregexp_like\s*\(/gi, 'regexp_matches('],
  [/\bcardinality\s*\(/gi, 'len('],
  [/\bawsdatacatalog\s*\.\s*/gi, ''],
];

/** Translates one Athena query to DuckDB SQL. Pure; see the table above. */
export function translateAthenaSql(sql: string): string {
  return sqlSegments(sql)
    .map((s) => (s.code ? RULES.reduce((text, [pattern, replace]) => text.replace(pattern, replace), s.text) : s.text))
    .join('');
}

/**
 * One execution parameter as Athena takes it: a SQL literal, never an expression. Strings are
 * single-quoted with '' escapes; DATE/TIMESTAMP literals, numbers, booleans and NULL are allowed.
 * Anything else is refused, so a parameter can never add SQL to the statement.
 */
const LITERAL = [
  /^'(?:[^']|'')*'$/,
  /^(?:DATE|TIMESTAMP)\s+'[0-9:. T-]{10,29}'$/i,
  /^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/,
  /^(?:TRUE|FALSE|NULL)$/i,
];

/**
 * Binds `ExecutionParameters` to the `?` placeholders (outside literals and comments) in order.
 * Athena answers a count mismatch with InvalidRequestException before the query is queued.
 */
export function bindExecutionParameters(sql: string, parameters: readonly string[] = []): string {
  const parts = sqlSegments(sql);
  const placeholders = parts.filter((p) => p.code).reduce((n, p) => n + (p.text.match(/\?/g)?.length ?? 0), 0);
  if (placeholders !== parameters.length) {
    throw new AwsApiError(
      'InvalidRequestException',
      `Query has ${placeholders} parameter placeholder(s) but ${parameters.length} ExecutionParameters were given`,
      400,
      { AthenaErrorCode: 'INVALID_INPUT' },
    );
  }
  for (const p of parameters) {
    if (!LITERAL.some((re) => re.test(p.trim()))) {
      throw new AwsApiError('InvalidRequestException', `ExecutionParameters must be SQL literals; got ${JSON.stringify(p)}`, 400, {
        AthenaErrorCode: 'INVALID_INPUT',
      });
    }
  }
  let next = 0;
  return parts.map((p) => (p.code ? p.text.replace(/\?/g, () => parameters[next++].trim()) : p.text)).join('');
}

/** Statements the local Athena runs: queries only (the lake is written by Firehose and the ETL). */
export function assertQuery(sql: string): void {
  const code = sqlSegments(sql)
    .filter((s) => s.code)
    .map((s) => s.text)
    .join(' ')
    .trim();
  if (!/^(SELECT|WITH|VALUES|SHOW|DESCRIBE|EXPLAIN)\b/i.test(code) || /;\s*\S/.test(code)) {
    throw new AwsApiError('InvalidRequestException', 'The local Athena runs one SELECT / WITH / SHOW / DESCRIBE / EXPLAIN statement per query', 400, {
      AthenaErrorCode: 'INVALID_INPUT',
    });
  }
}
