import { readFileSync } from 'node:fs';
import { DUCKDB, etlSteps, SPARK, SqlDialect } from '@plant/lake';
import { renderedScripts } from '../spark-sql-command';

/** Function names each dialect's shims use; the other engine must never see them. */
const SHIM_FUNCTIONS: Record<SqlDialect['name'], string[]> = {
  duckdb: ['json_valid', 'json_type', 'json_transform', 'TIMESTAMPTZ', 'epoch_ms'],
  spark: ['json_object_keys', 'from_json', 'unix_millis', 'timestamp_millis'],
};

const stepsSql = (dialect: SqlDialect) => etlSteps(dialect).flatMap((step) => step.views.map((v) => v.select)).join('\n');

describe('Spark SQL for Glue, generated from the one ETL definition', () => {
  it('is committed under infra/etl exactly as libs/lake renders it (run npm run etl:sql when this fails)', () => {
    for (const { path, sql } of renderedScripts()) expect({ path, sql: readFileSync(path, 'utf8') }).toEqual({ path, sql });
  });

  it('differs from the DuckDB form only where a dialect shim stands', () => {
    // Rendering both with markers in place of the shims must give the same text.
    const marker = (name: string) => (...args: unknown[]) => `«${name}(${args.map(String).join('|')})»`;
    const marked = (base: SqlDialect): SqlDialect => ({
      name: base.name,
      isJsonObject: marker('isJsonObject'),
      parseJsonObject: marker('parseJsonObject'),
      isoToUtcTimestamp: marker('isoToUtcTimestamp'),
      epochMs: marker('epochMs'),
      timestampOfMs: marker('timestampOfMs'),
    });
    expect(stepsSql(marked(SPARK))).toEqual(stepsSql(marked(DUCKDB)));
  });

  it('uses no DuckDB function in the Spark form and no Spark function in the DuckDB form', () => {
    const spark = stepsSql(SPARK);
    const duckdb = stepsSql(DUCKDB);
    for (const fn of SHIM_FUNCTIONS.duckdb) expect({ fn, inSpark: spark.includes(fn) }).toEqual({ fn, inSpark: false });
    for (const fn of SHIM_FUNCTIONS.spark) expect({ fn, inDuckdb: duckdb.includes(fn) }).toEqual({ fn, inDuckdb: false });
  });
});
