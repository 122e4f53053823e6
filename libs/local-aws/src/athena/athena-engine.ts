import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance, DuckDBTypeId, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { catalogViews } from './athena-catalog';
import { ATHENA_MACROS } from './athena-sql';

/** A column as GetQueryResults' `ResultSetMetadata.ColumnInfo` describes it (Athena type names). */
export interface ResultColumn {
  Name: string;
  Label: string;
  Type: string;
  Precision: number;
  Scale: number;
  Nullable: 'NULLABLE' | 'UNKNOWN';
  CaseSensitive: boolean;
}

export interface EngineResult {
  columns: ResultColumn[];
  /** Every value as Athena prints it (VarCharValue); null for SQL NULL. */
  rows: (string | null)[][];
  /** Bytes DuckDB read from lake files (its `total_bytes_read` profile metric). */
  bytesScanned: number;
  /** Lake files the scans opened, after partition pruning. */
  filesRead: number;
}

/** Thrown by a running query that StopQueryExecution interrupted. */
export class QueryInterrupted extends Error {}

/**
 * Runs Athena queries with DuckDB over the lake folder. Every query gets an in-memory DuckDB
 * instance of its own with the catalog views: it can be interrupted alone, its profile (bytes and
 * files read) belongs to it only, and no cache shared between queries hides bytes from the work
 * group's cutoff (Athena bills every query for what it reads). Views are declared per query, so a
 * table whose first partition appeared since the last query is read, not shown empty.
 */
export class AthenaEngine {
  private readonly profileDir = mkdtempSync(join(tmpdir(), 'local-athena-profile-'));

  constructor(private readonly lakeDir: string) {}

  /** Runs one translated, parameter-bound statement; `onConnection` receives the connection to interrupt it. */
  async run(id: string, sql: string, database: string, onConnection: (c: DuckDBConnection) => void): Promise<EngineResult> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const db = await instance.connect();
    onConnection(db);
    const profile = join(this.profileDir, `${id}.json`);
    try {
      await db.run(`SET TimeZone = 'UTC'`);
      await db.run(`CREATE SCHEMA "${database.replace(/"/g, '""')}"`);
      for (const view of catalogViews(this.lakeDir, database)) await db.run(view);
      await db.run(`SET search_path = '${database.replace(/'/g, "''")}'`);
      for (const macro of ATHENA_MACROS) await db.run(macro);
      await db.run(`SET custom_profiling_settings = '{"TOTAL_BYTES_READ": "true", "EXTRA_INFO": "true", "OPERATOR_NAME": "true"}'`);
      await db.run(`PRAGMA enable_profiling = 'json'`);
      await db.run(`SET profiling_output = '${profile.replace(/'/g, "''")}'`);
      let reader;
      try {
        reader = await db.runAndReadAll(sql);
      } catch (err) {
        if (err instanceof Error && /interrupt/i.test(err.message)) throw new QueryInterrupted(err.message);
        throw err;
      }
      const types = reader.columnTypes();
      const columns = reader.columnNames().map((name, i) => columnInfo(name, types[i]));
      const rows = reader.getRows().map((row) => row.map((v, i) => formatValue(v, types[i])));
      return { columns, rows, ...readProfile(profile) };
    } finally {
      db.closeSync();
      instance.closeSync();
      rmSync(profile, { force: true });
    }
  }

  close(): void {
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

/** Bytes read and files opened by every scan of a finished query, from DuckDB's JSON profile. */
function readProfile(path: string): { bytesScanned: number; filesRead: number } {
  let profile: ProfileNode;
  try {
    profile = JSON.parse(readFileSync(path, 'utf8')) as ProfileNode;
  } catch {
    return { bytesScanned: 0, filesRead: 0 };
  }
  let filesRead = 0;
  const walk = (node: ProfileNode) => {
    filesRead += Number(node.extra_info?.['Total Files Read'] ?? 0);
    node.children?.forEach(walk);
  };
  walk(profile);
  return { bytesScanned: Number(profile.total_bytes_read ?? 0), filesRead };
}

interface ProfileNode {
  total_bytes_read?: number;
  extra_info?: Record<string, string>;
  children?: ProfileNode[];
}

/** DuckDB type → Athena (Trino) type name and precision as ColumnInfo reports them; anything else is varchar. */
const ATHENA_TYPES = new Map<DuckDBTypeId, [type: string, precision: number]>([
  [DuckDBTypeId.BIGINT, ['bigint', 19]],
  [DuckDBTypeId.HUGEINT, ['bigint', 19]],
  [DuckDBTypeId.UBIGINT, ['bigint', 19]],
  [DuckDBTypeId.UINTEGER, ['bigint', 19]],
  [DuckDBTypeId.INTEGER, ['integer', 10]],
  [DuckDBTypeId.USMALLINT, ['integer', 10]],
  [DuckDBTypeId.SMALLINT, ['smallint', 5]],
  [DuckDBTypeId.UTINYINT, ['smallint', 5]],
  [DuckDBTypeId.TINYINT, ['tinyint', 3]],
  [DuckDBTypeId.DOUBLE, ['double', 17]],
  [DuckDBTypeId.FLOAT, ['float', 9]],
  [DuckDBTypeId.BOOLEAN, ['boolean', 0]],
  [DuckDBTypeId.DATE, ['date', 0]],
  [DuckDBTypeId.TIMESTAMP, ['timestamp', 3]],
  [DuckDBTypeId.TIMESTAMP_S, ['timestamp', 3]],
  [DuckDBTypeId.TIMESTAMP_MS, ['timestamp', 3]],
  [DuckDBTypeId.TIMESTAMP_NS, ['timestamp', 3]],
  [DuckDBTypeId.TIMESTAMP_TZ, ['timestamp with time zone', 3]],
]);

function columnInfo(name: string, type: DuckDBType): ResultColumn {
  const base = { Name: name, Label: name, Nullable: 'UNKNOWN' as const, CaseSensitive: false, Precision: 0, Scale: 0 };
  if (type.typeId === DuckDBTypeId.DECIMAL) {
    const { width, scale } = type as unknown as { width: number; scale: number };
    return { ...base, Type: 'decimal', Precision: width, Scale: scale };
  }
  const known = ATHENA_TYPES.get(type.typeId);
  if (!known) return { ...base, Type: 'varchar', Precision: 2147483647, CaseSensitive: true };
  return { ...base, Type: known[0], Precision: known[1] };
}

/** A value as Athena prints it in results and CSV: timestamps `yyyy-MM-dd HH:mm:ss.SSS`, booleans lower case. */
function formatValue(value: DuckDBValue, type: DuckDBType): string | null {
  if (value === null) return null;
  const athenaType = ATHENA_TYPES.get(type.typeId)?.[0];
  if (athenaType === 'double' || athenaType === 'float') return String(Number(value));
  if (athenaType?.startsWith('timestamp')) {
    const [date, time = '00:00:00'] = String(value).replace(/\+00(:00)?$/, '').split(' ');
    const [hms, fraction = ''] = time.split('.');
    return `${date} ${hms}.${fraction.padEnd(3, '0').slice(0, 3)}${athenaType === 'timestamp' ? '' : ' UTC'}`;
  }
  return String(value);
}
