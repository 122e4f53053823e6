import { DuckDBInstance } from '@duckdb/node-api';
import { ATHENA_MACROS, bindExecutionParameters, translateAthenaSql } from '../src/athena/athena-sql';

describe('Athena SQL translation', () => {
  it.each([
    [`date_add('day', 1, d)`, `trino_date_add('day', 1, d)`],
    [`approx_percentile(x, 0.95)`, `approx_quantile(x, 0.95)`],
    [`from_iso8601_timestamp(s)`, `trino_from_iso8601_timestamp(s)`],
    [`to_iso8601(t)`, `trino_to_iso8601(t)`],
    [`regexp_like(s, '^a')`, `regexp_matches(s, '^a')`],
    [`cardinality(a)`, `len(a)`],
    [`FROM awsdatacatalog.plant_lake.kpis_daily`, `FROM plant_lake.kpis_daily`],
  ])('renames %s', (trino, duck) => {
    expect(translateAthenaSql(`SELECT ${trino}`)).toBe(`SELECT ${duck}`);
  });

  it('leaves literals, quoted identifiers and comments alone', () => {
    const sql = `SELECT 'date_add(' AS "cardinality(x)" -- approx_percentile(\n/* to_iso8601( */ FROM t`;
    expect(translateAthenaSql(sql)).toBe(sql);
  });

  it('gives the Trino results for the macros (run on DuckDB)', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    await db.run(`SET TimeZone = 'UTC'`);
    for (const macro of ATHENA_MACROS) await db.run(macro);
    const sql = translateAthenaSql(
      `SELECT CAST(date_add('day', 2, DATE '2026-01-30') AS VARCHAR), to_iso8601(from_iso8601_timestamp('2026-03-01T05:06:07.250Z')),
        CAST(date_add('hour', -3, TIMESTAMP '2026-01-01 01:00:00') AS VARCHAR), to_unixtime(from_unixtime(86400)), cardinality(ARRAY[1, 2, 3])`,
    );
    const row = (await db.runAndReadAll(sql)).getRowsJS()[0];
    expect(row).toEqual(['2026-02-01 00:00:00', '2026-03-01T05:06:07.250Z', '2025-12-31 22:00:00', 86400, 3n]);
    db.closeSync();
    instance.closeSync();
  });
});

describe('Athena execution parameters', () => {
  it('binds literals to ? in order, skipping ? inside literals', () => {
    expect(bindExecutionParameters(`SELECT '?' AS q FROM t WHERE a = ? AND d = ? AND n = ?`, [`'x''y'`, `DATE '2026-01-01'`, '-1.5e3'])).toBe(
      `SELECT '?' AS q FROM t WHERE a = 'x''y' AND d = DATE '2026-01-01' AND n = -1.5e3`,
    );
  });

  it.each([`'a' OR 1=1`, `1; DROP TABLE t`, `a`, `'unterminated`, `DATE '2026-01-01' OR true`, `(SELECT 1)`])('refuses the non-literal %s', (p) => {
    expect(() => bindExecutionParameters('SELECT * FROM t WHERE a = ?', [p])).toThrow(/must be SQL literals/);
  });

  it('refuses a count that does not match the placeholders', () => {
    expect(() => bindExecutionParameters('SELECT ?, ?', ['1'])).toThrow(/2 parameter placeholder\(s\) but 1/);
  });
});
