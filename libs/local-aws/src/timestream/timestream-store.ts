import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { AwsApiError } from '../aws-json-handler';
import { type DatabaseInfo, notFound, type TableInfo, TimestreamCatalog } from './timestream-catalog';
import { GroupCommitQueue } from './timestream-group-commit';
import { assertReadOnlyQuery } from './timestream-query-guard';
import type { NormalizedRecord } from './timestream-records';
import { RowTables } from './timestream-row-tables';
import { insertRows, storedVersions } from './timestream-rows';
import { TIMESTREAM_MACROS } from './timestream-sql';
import { planUpserts, windowCalls, type WriteOutcome } from './timestream-upsert';

export type { ColumnInfo, DatabaseInfo, TableInfo } from './timestream-catalog';
export type { RejectedRecord, WriteOutcome } from './timestream-upsert';
export { quoteIdent } from './timestream-row-tables';

interface WriteCall {
  groupKey: string;
  database: string;
  tableName: string;
  records: NormalizedRecord[];
  nowMs: number;
}

/**
 * Timestream databases and tables kept in DuckDB: the catalog (timestream-catalog.ts), the rows
 * tables and their schema evolution (timestream-row-tables.ts), the upsert rules
 * (timestream-upsert.ts), row I/O (timestream-rows.ts), group commit of writes
 * (timestream-group-commit.ts) and the read-only guard of queries (timestream-query-guard.ts).
 */
export class TimestreamStore {
  /** DuckDB calls are serialised: schema changes (new columns) must not interleave with writes. */
  private tail: Promise<unknown> = Promise.resolve();
  private readonly rowTables: RowTables;
  private readonly writes: GroupCommitQueue<WriteCall, WriteOutcome>;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
    private readonly catalog: TimestreamCatalog,
  ) {
    this.rowTables = new RowTables(db, catalog);
    this.writes = new GroupCommitQueue((turn) => this.exclusive(turn), (calls) => this.writeTogether(calls));
  }

  /** Opens (or creates) the store: a DuckDB file when `path` is given, memory otherwise. */
  static async open(path?: string): Promise<TimestreamStore> {
    const instance = await DuckDBInstance.create(path ?? ':memory:');
    const db = await instance.connect();
    await db.run(`SET TimeZone = 'UTC'`);
    for (const macro of TIMESTREAM_MACROS) await db.run(macro);
    return new TimestreamStore(instance, db, await TimestreamCatalog.open(db));
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  createDatabase(name: string): Promise<DatabaseInfo> {
    return this.exclusive(async () => {
      if (await this.catalog.findDatabase(name)) throw new AwsApiError('ConflictException', `The database ${name} already exists.`);
      const now = Date.now() / 1000;
      await this.catalog.addDatabase(name, now);
      await this.rowTables.createDatabase(name);
      return { name, createdAt: now, updatedAt: now };
    });
  }

  describeDatabase(name: string): Promise<DatabaseInfo & { tableCount: number }> {
    return this.exclusive(async () => {
      const found = await this.catalog.findDatabase(name);
      if (!found) throw notFound(`The database ${name} does not exist.`);
      return { ...found, tableCount: await this.catalog.tableCount(name) };
    });
  }

  listDatabases(): Promise<DatabaseInfo[]> {
    return this.exclusive(() => this.catalog.listDatabases());
  }

  createTable(info: Omit<TableInfo, 'createdAt' | 'updatedAt'>): Promise<TableInfo> {
    return this.exclusive(async () => {
      if (!(await this.catalog.findDatabase(info.database))) throw notFound(`The database ${info.database} does not exist.`);
      if (await this.catalog.findTable(info.database, info.name)) {
        throw new AwsApiError('ConflictException', `The table ${info.name} already exists in database ${info.database}.`);
      }
      const now = Date.now() / 1000;
      const table = { ...info, createdAt: now, updatedAt: now };
      await this.catalog.addTable(table);
      await this.rowTables.createTable(info.database, info.name);
      return table;
    });
  }

  describeTable(database: string, name: string): Promise<TableInfo> {
    return this.exclusive(() => this.catalog.requireTable(database, name));
  }

  listTables(database?: string): Promise<TableInfo[]> {
    return this.exclusive(() => this.catalog.listTables(database));
  }

  /**
   * Writes records with Timestream's upsert rules (timestream-upsert.ts). Calls that queue up
   * while DuckDB is busy are written together (group commit), with the same outcome per call as
   * one after another.
   */
  write(database: string, tableName: string, records: NormalizedRecord[], nowMs = Date.now()): Promise<WriteOutcome> {
    return this.writes.submit({ groupKey: `${database}\u0000${tableName}`, database, tableName, records, nowMs });
  }

  private async writeTogether(calls: WriteCall[]): Promise<WriteOutcome[]> {
    const { database, tableName } = calls[0];
    const { table, columns } = await this.catalog.cachedTable(database, tableName);
    const windowed = windowCalls(table, calls);
    const existing = await storedVersions(this.db, database, tableName, windowed.flatMap((c) => c.inside));
    const stored = new Set(existing.keys());
    const plan = planUpserts(windowed, columns, existing);
    await this.rowTables.addColumns(database, tableName, plan.newColumns);
    for (const [name, info] of plan.newColumns) columns.set(name, info);
    if (plan.rows.length) {
      const columnOrder = await this.rowTables.columnOrder(database, tableName);
      await insertRows(this.db, { database, table: tableName, columnOrder }, plan.rows, plan.rows.filter((r) => stored.has(r.key)));
    }
    return plan.outcomes;
  }

  /** Runs one already translated, read-only query; returns column names, DuckDB types and JSON rows. */
  query(sql: string): Promise<{ names: string[]; types: string[]; rows: unknown[][] }> {
    return this.exclusive(async () => {
      const reader = await this.db.runAndReadAll(sql);
      return { names: reader.columnNames(), types: reader.columnTypes().map((t) => t.toString()), rows: reader.getRowsJson() as unknown[][] };
    });
  }

  /** Checks that `sql` is one SELECT (or WITH … SELECT) statement; Timestream queries are read-only. */
  assertReadOnly(sql: string): Promise<void> {
    return assertReadOnlyQuery(this.db, sql);
  }

  async close(): Promise<void> {
    await this.tail;
    this.db.closeSync();
    this.instance.closeSync();
  }
}
