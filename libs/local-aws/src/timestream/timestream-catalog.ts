import type { DuckDBConnection } from '@duckdb/node-api';
import { AwsApiError } from '../aws-json-handler';
import type { ScalarMeasureType } from './timestream-records';

/**
 * The catalog of Timestream databases, tables and their columns, kept in DuckDB tables of its own
 * schema (the data of a table lives in the database's schema, timestream-row-tables.ts). This
 * catalog is the only writer of these tables, so table settings and columns are cached.
 */

const META = '__local_timestream';

export interface DatabaseInfo {
  name: string;
  createdAt: number;
  updatedAt: number;
}
export interface TableInfo {
  database: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  memoryHours: number;
  magneticDays: number;
  magneticWrites: boolean;
}
export interface ColumnInfo {
  kind: 'dimension' | 'measure';
  type: ScalarMeasureType;
}
/** A table's settings and its known columns (mutable: schema evolution adds to it). */
export interface CachedTable {
  table: TableInfo;
  columns: Map<string, ColumnInfo>;
}

export const notFound = (message: string) => new AwsApiError('ResourceNotFoundException', message);

export class TimestreamCatalog {
  /** Table settings and columns by `db\0table`. */
  private readonly tableCache = new Map<string, CachedTable>();

  private constructor(private readonly db: DuckDBConnection) {}

  /** Creates the catalog tables unless they exist (a reopened data folder keeps its catalog). */
  static async open(db: DuckDBConnection): Promise<TimestreamCatalog> {
    await db.run(`CREATE SCHEMA IF NOT EXISTS ${META}`);
    await db.run(`CREATE TABLE IF NOT EXISTS ${META}.databases (name VARCHAR PRIMARY KEY, created DOUBLE, updated DOUBLE)`);
    await db.run(
      `CREATE TABLE IF NOT EXISTS ${META}.tables (db VARCHAR, name VARCHAR, created DOUBLE, updated DOUBLE,
        memory_hours BIGINT, magnetic_days BIGINT, magnetic_writes BOOLEAN, PRIMARY KEY (db, name))`,
    );
    await db.run(`CREATE TABLE IF NOT EXISTS ${META}.columns (db VARCHAR, tbl VARCHAR, name VARCHAR, kind VARCHAR, type VARCHAR)`);
    return new TimestreamCatalog(db);
  }

  async addDatabase(name: string, now: number): Promise<void> {
    await this.db.run(`INSERT INTO ${META}.databases VALUES ($1, $2, $3)`, [name, now, now]);
  }

  async findDatabase(name: string): Promise<DatabaseInfo | undefined> {
    const rows = await this.db.runAndReadAll(`SELECT name, created, updated FROM ${META}.databases WHERE name = $1`, [name]);
    const row = rows.getRowsJS()[0];
    return row && { name, createdAt: Number(row[1]), updatedAt: Number(row[2]) };
  }

  async listDatabases(): Promise<DatabaseInfo[]> {
    const rows = await this.db.runAndReadAll(`SELECT name, created, updated FROM ${META}.databases ORDER BY name`);
    return rows.getRowsJS().map(([name, created, updated]) => ({ name: String(name), createdAt: Number(created), updatedAt: Number(updated) }));
  }

  async tableCount(database: string): Promise<number> {
    const count = await this.db.runAndReadAll(`SELECT count(*) FROM ${META}.tables WHERE db = $1`, [database]);
    return Number(count.getRowsJS()[0][0]);
  }

  async addTable(info: TableInfo): Promise<void> {
    await this.db.run(`INSERT INTO ${META}.tables VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      info.database, info.name, info.createdAt, info.updatedAt, info.memoryHours, info.magneticDays, info.magneticWrites,
    ]);
  }

  async findTable(database: string, name: string): Promise<TableInfo | undefined> {
    const rows = await this.db.runAndReadAll(`SELECT * FROM ${META}.tables WHERE db = $1 AND name = $2`, [database, name]);
    const row = rows.getRowObjectsJS()[0];
    return row && toTableInfo(row);
  }

  async requireTable(database: string, name: string): Promise<TableInfo> {
    if (!(await this.findDatabase(database))) throw notFound(`The database ${database} does not exist.`);
    const table = await this.findTable(database, name);
    if (!table) throw notFound(`The table ${name} does not exist.`);
    return table;
  }

  async listTables(database?: string): Promise<TableInfo[]> {
    const where = database === undefined ? '' : 'WHERE db = $1';
    const rows = await this.db.runAndReadAll(`SELECT * FROM ${META}.tables ${where} ORDER BY db, name`, database === undefined ? [] : [database]);
    return rows.getRowObjectsJS().map(toTableInfo);
  }

  /** The table with its columns, read once and then kept (the write path asks for it per call). */
  async cachedTable(database: string, name: string): Promise<CachedTable> {
    const id = `${database}\u0000${name}`;
    let cached = this.tableCache.get(id);
    if (!cached) {
      cached = { table: await this.requireTable(database, name), columns: await this.columns(database, name) };
      this.tableCache.set(id, cached);
    }
    return cached;
  }

  async addColumn(database: string, table: string, name: string, info: ColumnInfo): Promise<void> {
    await this.db.run(`INSERT INTO ${META}.columns VALUES ($1, $2, $3, $4, $5)`, [database, table, name, info.kind, info.type]);
  }

  private async columns(database: string, table: string): Promise<Map<string, ColumnInfo>> {
    const rows = await this.db.runAndReadAll(`SELECT name, kind, type FROM ${META}.columns WHERE db = $1 AND tbl = $2`, [database, table]);
    return new Map(rows.getRowsJS().map(([name, kind, type]) => [String(name), { kind, type } as ColumnInfo]));
  }
}

function toTableInfo(row: Record<string, unknown>): TableInfo {
  return {
    database: String(row.db),
    name: String(row.name),
    createdAt: Number(row.created),
    updatedAt: Number(row.updated),
    memoryHours: Number(row.memory_hours),
    magneticDays: Number(row.magnetic_days),
    magneticWrites: Boolean(row.magnetic_writes),
  };
}
