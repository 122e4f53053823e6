import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ColumnType, LAKE_TABLES, LakeTable, tablePrefix } from '@plant/config';

/**
 * The Glue catalog of the local Athena, from the one lake definition (`libs/config` lake-schema):
 * every table becomes a DuckDB view in the schema named after the Glue database. Parquet tables
 * read `<lake>/<zone>/<table>/dt=*∕**∕*.parquet` with hive partitioning, so a filter on `dt` prunes
 * whole folders before any file is opened (DuckDB's hive filter pushdown); raw reads Firehose's JSON
 * lines under `raw/source=…/dt=…/hour=…/`. A table with no data yet is an empty view of the same
 * columns (DuckDB refuses a glob that matches nothing).
 */

const DUCK_TYPE: Record<ColumnType, string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  int: 'INTEGER',
  double: 'DOUBLE',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  boolean: 'BOOLEAN',
};

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** True when a table folder holds at least one partition folder (`<key>=…`). */
function hasPartitions(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((name) => name.includes('='));
}

/** The raw zone's JSON carries camelCase keys; the Glue table lowercases them (the JSON SerDe is case-insensitive). */
function rawViewSql(table: LakeTable, dir: string): string {
  const columns = Object.fromEntries(table.columns.map((c) => [c.name, DUCK_TYPE[c.type]]));
  const partitions = table.partitionKeys.map((k) => q(k.name));
  // read_json matches keys case-sensitively: read the camelCase names and expose them lowercased.
  const camel = rawJsonKeys(table);
  const jsonColumns = Object.fromEntries(table.columns.map((c) => [camel[c.name] ?? c.name, columns[c.name]]));
  const structText = `{${Object.entries(jsonColumns)
    .map(([k, t]) => `${lit(k)}: ${lit(t)}`)
    .join(', ')}}`;
  const renamed = table.columns.map((c) => `${q(camel[c.name] ?? c.name)} AS ${q(c.name)}`);
  return `SELECT ${renamed.join(', ')}, ${partitions.join(', ')} FROM read_json(${lit(`${dir}/source=*/dt=*/hour=*/*`)},
    format = 'newline_delimited', hive_partitioning = true, hive_types = {'source': 'VARCHAR', 'dt': 'VARCHAR', 'hour': 'VARCHAR'},
    columns = ${structText}, ignore_errors = true)`;
}

/** camelCase JSON key of each lowercased raw column (`eventid` → `eventId`). */
function rawJsonKeys(table: LakeTable): Record<string, string> {
  const known = ['schemaVersion', 'eventId', 'enterpriseId', 'plantId', 'lineId', 'assetId', 'eventTime', 'ingestTime', 'goodCount', 'scrapCount', 'idealCycleSeconds', 'reasonCode'];
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  return Object.fromEntries(table.columns.filter((c) => byLower.has(c.name)).map((c) => [c.name, byLower.get(c.name)!]));
}

function parquetViewSql(table: LakeTable, dir: string): string {
  const hiveTypes = `{${table.partitionKeys.map((k) => `${lit(k.name)}: ${lit(DUCK_TYPE[k.type])}`).join(', ')}}`;
  const glob = `${dir}/${table.partitionKeys.map((k) => `${k.name}=*`).join('/')}/**/*.parquet`;
  // Columns are listed (not *) so a file with extra columns still gives the catalog's schema;
  // partition keys stay bare column references so DuckDB can push filters on them into the glob.
  const columns = table.columns.map((c) => `CAST(${q(c.name)} AS ${DUCK_TYPE[c.type]}) AS ${q(c.name)}`);
  const partitions = table.partitionKeys.map((k) => q(k.name));
  return `SELECT ${[...columns, ...partitions].join(', ')} FROM read_parquet(${lit(glob)}, hive_partitioning = true, hive_types = ${hiveTypes}, union_by_name = true)`;
}

function emptyViewSql(table: LakeTable): string {
  const columns = [...table.columns, ...table.partitionKeys].map((c) => `CAST(NULL AS ${DUCK_TYPE[c.type]}) AS ${q(c.name)}`);
  return `SELECT ${columns.join(', ')} WHERE false`;
}

/** `CREATE OR REPLACE VIEW` statements for every lake table, in the schema `database`. */
export function catalogViews(lakeDir: string, database: string): string[] {
  return LAKE_TABLES.map((table) => {
    const dir = join(lakeDir, tablePrefix(table)).replace(/\/$/, '');
    const present = table.zone === 'raw' ? existsSync(dir) && readdirSync(dir).some((n) => n.startsWith('source=')) : hasPartitions(dir);
    const body = !present ? emptyViewSql(table) : table.format === 'json' ? rawViewSql(table, dir) : parquetViewSql(table, dir);
    return `CREATE OR REPLACE VIEW ${q(database)}.${q(table.name)} AS ${body}`;
  });
}
