import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnInfo, TimestreamCatalog } from './timestream-catalog';
import type { ScalarMeasureType } from './timestream-records';

/**
 * The physical layout of a Timestream table and its schema evolution. Each Timestream database is
 * a DuckDB schema; each table is stored as `<table>$rows` (with hidden upsert columns) and exposed
 * to queries as a view `<table>` with Timestream's columns only: the dimensions, `measure_name`,
 * `time` and one column per measure (`measure_value::<type>` for single-measure records). New
 * dimensions and measures add columns, as Timestream's flexible schema does.
 */

const HIDDEN = ['__key', '__version', '__values'];

const SQL_TYPE: Record<ScalarMeasureType, string> = {
  DOUBLE: 'DOUBLE',
  BIGINT: 'BIGINT',
  VARCHAR: 'VARCHAR',
  BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP_NS',
};

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const rowsTable = (db: string, table: string) => `${quoteIdent(db)}.${quoteIdent(`${table}$rows`)}`;

export class RowTables {
  /** Physical column order of each `<table>$rows` (the appender fills columns by position); dropped when columns are added. */
  private readonly columnOrders = new Map<string, string[]>();

  constructor(
    private readonly db: DuckDBConnection,
    private readonly catalog: TimestreamCatalog,
  ) {}

  async createDatabase(name: string): Promise<void> {
    await this.db.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(name)}`);
  }

  async createTable(database: string, table: string): Promise<void> {
    await this.db.run(
      `CREATE TABLE ${rowsTable(database, table)} (__key VARCHAR, __version BIGINT, __values VARCHAR, measure_name VARCHAR, "time" TIMESTAMP_NS)`,
    );
    await this.recreateView(database, table);
  }

  /** Adds the columns to the rows table and the catalog, then exposes them in the view. */
  async addColumns(database: string, table: string, columns: Map<string, ColumnInfo>): Promise<void> {
    if (!columns.size) return;
    for (const [name, info] of columns) {
      await this.db.run(`ALTER TABLE ${rowsTable(database, table)} ADD COLUMN ${quoteIdent(name)} ${SQL_TYPE[info.type]}`);
      await this.catalog.addColumn(database, table, name, info);
    }
    this.columnOrders.delete(`${database}\u0000${table}`);
    await this.recreateView(database, table);
  }

  async columnOrder(database: string, table: string): Promise<string[]> {
    const id = `${database}\u0000${table}`;
    let order = this.columnOrders.get(id);
    if (!order) {
      order = await this.physicalColumns(database, table);
      this.columnOrders.set(id, order);
    }
    return order;
  }

  private async physicalColumns(database: string, table: string): Promise<string[]> {
    const rows = await this.db.runAndReadAll(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [database, `${table}$rows`],
    );
    return rows.getRowsJS().map(([c]) => String(c));
  }

  private async recreateView(database: string, table: string): Promise<void> {
    const visible = (await this.physicalColumns(database, table)).filter((c) => !HIDDEN.includes(c));
    await this.db.run(
      `CREATE OR REPLACE VIEW ${quoteIdent(database)}.${quoteIdent(table)} AS SELECT ${visible.map(quoteIdent).join(', ')} FROM ${rowsTable(database, table)}`,
    );
  }
}
