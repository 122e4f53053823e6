import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { AwsApiError, jsonProtocol } from '../aws-json-handler';
import type { ServiceRoute } from '../local-aws-stack';
import { normalizeRecords, WireRecord } from './timestream-records';
import { QueryResultPages } from './timestream-result';
import { translateTimestreamSql } from './timestream-sql';
import { DatabaseInfo, TableInfo, TimestreamStore } from './timestream-store';
import { TIMESTREAM_SHAPES } from './timestream-shapes';

/**
 * Timestream Write and Timestream Query on one route: both SDK clients send JSON 1.0 with the
 * `Timestream_20181101` target prefix, so one operation table serves them.
 * https://docs.aws.amazon.com/timestream/latest/developerguide/API_Operations.html
 */

const REGION = 'eu-central-1';
const ACCOUNT = '000000000000';
const NAME = /^[a-zA-Z0-9_.-]{3,256}$/;

interface TimestreamOptions {
  /** Data folder of the stack; DuckDB file `<dataDir>/timestream/timestream.duckdb`. Memory when undefined. */
  dataDir?: string;
}

/** The Timestream route of the local stack; the DuckDB store opens on the first request. */
export function timestreamRoute(options: TimestreamOptions = {}): ServiceRoute & { store: () => Promise<TimestreamStore> } {
  let opening: Promise<TimestreamStore> | undefined;
  const store = () => {
    opening ??= (() => {
      if (!options.dataDir) return TimestreamStore.open();
      const dir = join(options.dataDir, 'timestream');
      mkdirSync(dir, { recursive: true });
      return TimestreamStore.open(join(dir, 'timestream.duckdb'));
    })();
    return opening;
  };
  const pages = new QueryResultPages();
  let endpointAddress = '';

  const operations = {
    // Endpoint discovery: the SDK would send later calls to this address. Answering the stack's own
    // host:port keeps those calls here (the SDK skips discovery anyway when an endpoint is set).
    DescribeEndpoints: () => ({ Endpoints: [{ Address: endpointAddress, CachePeriodInMinutes: 1440 }] }),

    CreateDatabase: async (input: { DatabaseName?: string }) => {
      const name = requireName('DatabaseName', input.DatabaseName);
      return { Database: databaseShape({ ...(await (await store()).createDatabase(name)), tableCount: 0 }) };
    },
    DescribeDatabase: async (input: { DatabaseName?: string }) => {
      const name = requireName('DatabaseName', input.DatabaseName);
      return { Database: databaseShape(await (await store()).describeDatabase(name)) };
    },
    ListDatabases: async () => ({ Databases: (await (await store()).listDatabases()).map((d) => databaseShape({ ...d, tableCount: 0 })) }),

    CreateTable: async (input: CreateTableInput) => {
      const database = requireName('DatabaseName', input.DatabaseName);
      const name = requireName('TableName', input.TableName);
      const memoryHours = input.RetentionProperties?.MemoryStoreRetentionPeriodInHours ?? 6;
      const magneticDays = input.RetentionProperties?.MagneticStoreRetentionPeriodInDays ?? 73000;
      if (!Number.isInteger(memoryHours) || memoryHours < 1 || memoryHours > 8766) {
        throw new AwsApiError('ValidationException', 'MemoryStoreRetentionPeriodInHours must be between 1 and 8766.');
      }
      if (!Number.isInteger(magneticDays) || magneticDays < 1 || magneticDays > 73000) {
        throw new AwsApiError('ValidationException', 'MagneticStoreRetentionPeriodInDays must be between 1 and 73000.');
      }
      const table = await (await store()).createTable({
        database,
        name,
        memoryHours,
        magneticDays,
        magneticWrites: input.MagneticStoreWriteProperties?.EnableMagneticStoreWrites ?? false,
      });
      return { Table: tableShape(table) };
    },
    DescribeTable: async (input: { DatabaseName?: string; TableName?: string }) => {
      const table = await (await store()).describeTable(requireName('DatabaseName', input.DatabaseName), requireName('TableName', input.TableName));
      return { Table: tableShape(table) };
    },
    ListTables: async (input: { DatabaseName?: string }) => ({ Tables: (await (await store()).listTables(input.DatabaseName)).map(tableShape) }),

    WriteRecords: async (input: { DatabaseName?: string; TableName?: string; CommonAttributes?: WireRecord; Records?: unknown }) => {
      const database = requireName('DatabaseName', input.DatabaseName);
      const table = requireName('TableName', input.TableName);
      const records = normalizeRecords(input.Records, input.CommonAttributes);
      const outcome = await (await store()).write(database, table, records);
      if (outcome.rejected.length) {
        // AWS answers rejected records with HTTP 419 and writes the batch's other records.
        throw new AwsApiError('RejectedRecordsException', 'One or more records have been rejected. See RejectedRecords for details.', 419, {
          RejectedRecords: outcome.rejected,
        });
      }
      const total = outcome.memoryStore + outcome.magneticStore;
      return { RecordsIngested: { Total: total, MemoryStore: outcome.memoryStore, MagneticStore: outcome.magneticStore } };
    },

    Query: async (input: { QueryString?: string; NextToken?: string; MaxRows?: number }) => {
      if (typeof input.QueryString !== 'string' || !input.QueryString.trim()) throw new AwsApiError('ValidationException', 'QueryString must be a non-empty string.');
      if (input.NextToken !== undefined && typeof input.NextToken !== 'string') throw new AwsApiError('ValidationException', 'NextToken must be a string.');
      if (input.NextToken) return pages.next(input.NextToken, input.QueryString, input.MaxRows);
      const s = await store();
      const sql = translateTimestreamSql(input.QueryString);
      try {
        await s.assertReadOnly(sql);
        const result = await s.query(sql);
        return pages.first(input.QueryString, result.names, result.types, result.rows, input.MaxRows);
      } catch (err) {
        if (err instanceof AwsApiError) throw err;
        // Timestream reports syntax errors and unknown tables or columns as ValidationException.
        throw new AwsApiError('ValidationException', err instanceof Error ? err.message.split('\n')[0] : String(err));
      }
    },
  };

  const handler = jsonProtocol(operations, 'application/x-amz-json-1.0', TIMESTREAM_SHAPES);
  return {
    name: 'timestream',
    targetPrefix: 'Timestream_20181101.',
    handler: (req, res, body) => {
      endpointAddress = String(req.headers.host ?? '');
      return handler(req, res, body);
    },
    store,
    close: async () => {
      if (opening) await (await opening).close();
    },
  };
}

interface CreateTableInput {
  DatabaseName?: string;
  TableName?: string;
  RetentionProperties?: { MemoryStoreRetentionPeriodInHours?: number; MagneticStoreRetentionPeriodInDays?: number };
  MagneticStoreWriteProperties?: { EnableMagneticStoreWrites?: boolean };
}

function requireName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new AwsApiError('ValidationException', `${field} must be 3-256 characters of letters, digits, "_", "-" or ".", got ${JSON.stringify(value)}.`);
  }
  return value;
}

function databaseShape(d: DatabaseInfo & { tableCount: number }) {
  return {
    Arn: `arn:aws:timestream:${REGION}:${ACCOUNT}:database/${d.name}`,
    DatabaseName: d.name,
    TableCount: d.tableCount,
    KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/local`,
    CreationTime: d.createdAt,
    LastUpdatedTime: d.updatedAt,
  };
}

function tableShape(t: TableInfo) {
  return {
    Arn: `arn:aws:timestream:${REGION}:${ACCOUNT}:database/${t.database}/table/${t.name}`,
    TableName: t.name,
    DatabaseName: t.database,
    TableStatus: 'ACTIVE',
    RetentionProperties: { MemoryStoreRetentionPeriodInHours: t.memoryHours, MagneticStoreRetentionPeriodInDays: t.magneticDays },
    MagneticStoreWriteProperties: { EnableMagneticStoreWrites: t.magneticWrites },
    CreationTime: t.createdAt,
    LastUpdatedTime: t.updatedAt,
  };
}
