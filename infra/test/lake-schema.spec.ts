import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlantEvent } from '@plant/contracts';
import { ETL_SCRIPTS_DIR, ETL_STEPS } from '../src/constructs/etl-pipeline';
import { ColumnType, LAKE_TABLES, RAW_PLANT_EVENTS } from '@plant/config';

const sqlOf = (file: string) => fs.readFileSync(path.join(ETL_SCRIPTS_DIR, file), 'utf8').replace(/--.*$/gm, '');

/** Splits a SELECT list on commas outside parentheses. */
function selectItems(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) items.push(current.trim());
  return items;
}

/** The output column name of a select item: its alias, or the column it names. */
const outputName = (item: string) => (/\sAS\s+(\w+)$/i.exec(item)?.[1] ?? item.split('.').pop() ?? item).trim();

/** Every `INSERT OVERWRITE TABLE ${database}.<table> PARTITION (dt) SELECT ... FROM` of a script. */
function inserts(sql: string): { table: string; columns: string[]; items: string[] }[] {
  const pattern = /INSERT OVERWRITE TABLE \$\{database\}\.(\w+) PARTITION \(dt\)\s+SELECT\s+([\s\S]+?)\s+FROM\s/g;
  return [...sql.matchAll(pattern)].map((m) => ({ table: m[1], columns: selectItems(m[2]).map(outputName), items: selectItems(m[2]) }));
}

/** Spark SQL types of the lake's Hive column types. */
const SPARK_TYPES: Record<ColumnType, string> = { string: 'STRING', int: 'INT', bigint: 'BIGINT', double: 'DOUBLE', timestamp: 'TIMESTAMP', date: 'DATE', boolean: 'BOOLEAN' };

/** Every `CREATE … TEMPORARY VIEW <name> [(<columns>)] USING <format> OPTIONS (path '…')`: views over files. */
function fileViews(sql: string): { view: string; columns: { name: string; type: string }[] | undefined }[] {
  const pattern = /TEMPORARY VIEW (\w+)\s*(\(([^;]*?)\))?\s*USING \w+\s+OPTIONS \(path/g;
  return [...sql.matchAll(pattern)].map((m) => ({
    view: m[1],
    columns: m[3]?.split(',').map((item) => {
      const [name, type] = item.trim().split(/\s+/);
      return { name, type };
    }),
  }));
}

/** Runs a Python snippet with infra/etl on the path (run_sql.py imports Glue and Spark only in main()). */
function python(code: string): string {
  const result = spawnSync('python3', ['-c', code], { cwd: ETL_SCRIPTS_DIR, encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(`python3 failed: ${result.error?.message ?? result.stderr}`);
  return result.stdout.trim();
}

describe('lake schema and ETL SQL', () => {
  it('writes each produced table with exactly its schema columns, partition key last', () => {
    const written = ETL_STEPS.flatMap((step) => inserts(sqlOf(step.sqlFile)));
    expect(written.map((w) => w.table)).toEqual([
      'plant_events',
      'asset_kpis_hourly',
      'kpis_daily',
      'downtime_by_reason_daily',
      'sensor_stats_hourly',
      'shift_reports',
    ]);
    for (const { table, columns } of written) {
      const schema = LAKE_TABLES.find((t) => t.name === table);
      expect(schema).toBeDefined();
      expect(columns).toEqual([...schema!.columns, ...schema!.partitionKeys].map((c) => c.name));
    }
  });

  it('casts every column the generated steps write to its catalog type', () => {
    const generated = ETL_STEPS.flatMap((step) => inserts(sqlOf(step.sqlFile))).filter((w) => w.table !== 'asset_health_features');
    for (const { table, items } of generated) {
      const schema = LAKE_TABLES.find((t) => t.name === table)!;
      expect(items.slice(0, -1)).toEqual(schema.columns.map((c) => `CAST(${c.name} AS ${SPARK_TYPES[c.type]}) AS ${c.name}`));
    }
  });

  it('reads only tables that the catalog declares', () => {
    const known = new Set(LAKE_TABLES.map((t) => t.name));
    for (const step of ETL_STEPS) {
      for (const [, table] of sqlOf(step.sqlFile).matchAll(/\$\{database\}\.(\w+)/g)) expect(known).toContain(table);
    }
  });

  it('uses only the placeholders run_sql.py substitutes', () => {
    const runner = fs.readFileSync(path.join(ETL_SCRIPTS_DIR, 'run_sql.py'), 'utf8');
    const call = /\.substitute\(([^)]*)\)/.exec(runner)?.[1] ?? '';
    const substituted = [...call.matchAll(/(\w+)=/g)].map((m) => m[1]);
    expect(substituted).toEqual(['database', 'lake_bucket', 'run_date', 'next_date', 'from_date', 'to_date', 'read_from', 'read_to', 'raw_dates']);
    for (const step of ETL_STEPS) {
      for (const [, name] of sqlOf(step.sqlFile).matchAll(/\$\{(\w+)\}/g)) expect(substituted).toContain(name);
    }
  });

  it('names every table once and keeps Hive-compatible lower-case column names', () => {
    expect(new Set(LAKE_TABLES.map((t) => t.name)).size).toBe(LAKE_TABLES.length);
    for (const table of LAKE_TABLES) {
      for (const column of [...table.columns, ...table.partitionKeys]) expect(column.name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('never lets Spark infer a schema from the files: every view over files declares its columns', () => {
    const views = ETL_STEPS.flatMap((step) => fileViews(sqlOf(step.sqlFile)));
    expect(views.map((v) => v.view)).toEqual(['raw_files']);
    for (const view of views) expect(view.columns?.length).toBeGreaterThan(0);
  });

  it('parses raw lines into exactly the raw table\'s columns, under the contract\'s field names', () => {
    const [raw] = ETL_STEPS.flatMap((step) => fileViews(sqlOf(step.sqlFile)));
    expect(raw.columns).toEqual([{ name: 'value', type: 'STRING' }]);
    const schema = /from_json\(value, '([^']+)'\)/.exec(sqlOf('raw_to_curated.sql'))?.[1] ?? '';
    const fields = schema.split(',').map((item) => item.trim().split(/\s+/)[0]);
    const declared = [...RAW_PLANT_EVENTS.columns.map((c) => c.name), 'source'];
    expect(fields.map((f) => f.toLowerCase())).toEqual(declared);
    // JSON fields match by name: each must be a field of some PlantEvent kind.
    const contractFields = new Set(PlantEvent.options.flatMap((kind) => Object.keys(kind.shape)));
    expect(fields.filter((name) => !contractFields.has(name))).toEqual([]);
  });

  it('skips a run whose raw input matches no file, and runs it when files exist', () => {
    const check = (exists: boolean) =>
      python(
        `import json, run_sql\n` +
          `sql = run_sql.render(open('raw_to_curated.sql').read(), 'plant_lake', 'lake-bucket', '2026-01-31')\n` +
          `print(json.dumps(run_sql.missing_inputs(sql, lambda path: ${exists ? 'True' : 'False'})))`,
      );
    expect(JSON.parse(check(false))).toEqual(['s3://lake-bucket/raw/source=*/dt={2026-01-29,2026-01-30,2026-01-31,2026-02-01}/hour=*/']);
    expect(JSON.parse(check(true))).toEqual([]);
  });

  it('splits the scripts into statements without their comments', () => {
    const counts = JSON.parse(python(`import json, run_sql\nprint(json.dumps([len(run_sql.statements(open(f).read())) for f in ['raw_to_curated.sql', 'curated_to_refined.sql']]))`));
    const expected = ETL_STEPS.map((step) => sqlOf(step.sqlFile).split(';').filter((part) => part.trim()).length);
    expect(counts).toEqual(expected);
  });
});
