import * as fs from 'node:fs';
import * as path from 'node:path';
import { ETL_SCRIPTS_DIR, ETL_STEPS } from '../src/constructs/etl-pipeline';
import { LAKE_TABLES } from '../src/lake/lake-schema';

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
function inserts(sql: string): { table: string; columns: string[] }[] {
  const pattern = /INSERT OVERWRITE TABLE \$\{database\}\.(\w+) PARTITION \(dt\)\s+SELECT\s+([\s\S]+?)\s+FROM\s/g;
  return [...sql.matchAll(pattern)].map((m) => ({ table: m[1], columns: selectItems(m[2]).map(outputName) }));
}

describe('lake schema and ETL SQL', () => {
  it('writes each produced table with exactly its schema columns, partition key last', () => {
    const written = ETL_STEPS.flatMap((step) => inserts(sqlOf(step.sqlFile)));
    expect(written.map((w) => w.table)).toEqual(['plant_events', 'asset_kpis_hourly', 'asset_health_features']);
    for (const { table, columns } of written) {
      const schema = LAKE_TABLES.find((t) => t.name === table);
      expect(schema).toBeDefined();
      expect(columns).toEqual([...schema!.columns, ...schema!.partitionKeys].map((c) => c.name));
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
    const substituted = [...runner.matchAll(/^\s+(\w+)=/gm)].map((m) => m[1]);
    expect(substituted).toEqual(['database', 'lake_bucket', 'run_date', 'next_date']);
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
});
