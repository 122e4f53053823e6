import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import {
  CreateTableCommand,
  DescribeDatabaseCommand,
  DescribeEndpointsCommand,
  DescribeTableCommand,
  RejectedRecordsException,
  ResourceNotFoundException,
  TimestreamWriteClient,
  ValidationException,
  WriteRecordsCommand,
  _Record,
} from '@aws-sdk/client-timestream-write';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';

const DB = ResourceNames.timestreamDatabase;
const TABLE = ResourceNames.timestreamTable;

/** One multi-measure trend point of an asset, `minutesAgo` before now. */
function point(asset: string, minutesAgo: number, temperature: number, version?: number): _Record {
  return {
    Dimensions: [{ Name: 'assetId', Value: asset }],
    MeasureName: 'telemetry',
    MeasureValueType: 'MULTI',
    MeasureValues: [
      { Name: 'temperature', Value: String(temperature), Type: 'DOUBLE' },
      { Name: 'cycles', Value: '3', Type: 'BIGINT' },
    ],
    Time: String(Math.floor((Date.now() - minutesAgo * 60_000) / 60_000) * 60_000),
    ...(version === undefined ? {} : { Version: version }),
  };
}

describe('local Timestream', () => {
  let stack: LocalAwsStack;
  let write: TimestreamWriteClient;
  let query: TimestreamQueryClient;
  const connectTo = (s: LocalAwsStack) => {
    write = createClient(TimestreamWriteClient, { region: 'eu-central-1', endpoint: s.endpoint });
    query = createClient(TimestreamQueryClient, { region: 'eu-central-1', endpoint: s.endpoint });
  };
  const rows = async (sql: string) => {
    const out = await query.send(new QueryCommand({ QueryString: sql }));
    return out.Rows!.map((r) => r.Data!.map((d) => (d.NullValue ? null : d.ScalarValue)));
  };

  describe('in memory', () => {
    beforeAll(async () => {
      stack = await startLocalAws({ port: 0 });
      connectTo(stack);
    });
    afterAll(async () => {
      write.destroy();
      query.destroy();
      await stack.stop();
    });

    it('provisions the platform database and table', async () => {
      const db = await write.send(new DescribeDatabaseCommand({ DatabaseName: DB }));
      expect(db.Database).toMatchObject({ DatabaseName: DB, TableCount: 1 });
      expect(db.Database!.CreationTime).toBeInstanceOf(Date);
      const table = await write.send(new DescribeTableCommand({ DatabaseName: DB, TableName: TABLE }));
      expect(table.Table).toMatchObject({ TableName: TABLE, TableStatus: 'ACTIVE', MagneticStoreWriteProperties: { EnableMagneticStoreWrites: true } });
    });

    it('answers DescribeEndpoints with its own address', async () => {
      const out = await write.send(new DescribeEndpointsCommand({}));
      expect(out.Endpoints).toEqual([{ Address: `127.0.0.1:${stack.port}`, CachePeriodInMinutes: 1440 }]);
    });

    it('writes multi-measure records with CommonAttributes and reads them back with bin() and ago()', async () => {
      const out = await write.send(
        new WriteRecordsCommand({
          DatabaseName: DB,
          TableName: TABLE,
          CommonAttributes: { Dimensions: [{ Name: 'plantId', Value: 'p1' }], MeasureName: 'telemetry', MeasureValueType: 'MULTI' },
          Records: [0, 1, 2].map((m) => ({ ...point('a1', m + 1, 20 + m), MeasureName: undefined, MeasureValueType: undefined })),
        }),
      );
      expect(out.RecordsIngested).toEqual({ Total: 3, MemoryStore: 3, MagneticStore: 0 });
      const result = await rows(
        `SELECT assetId, plantId, bin(time, 1m) AS minute, temperature, cycles FROM "${DB}"."${TABLE}"
         WHERE measure_name = 'telemetry' AND assetId = 'a1' AND time > ago(15m) ORDER BY minute`,
      );
      expect(result.map((r) => r[3])).toEqual(['22.0', '21.0', '20.0']);
      expect(result[0].slice(0, 2)).toEqual(['a1', 'p1']);
      expect(result[0][2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:00\.000000000$/);
      expect(result[0][4]).toBe('3');
    });

    it('describes result columns with Timestream scalar types', async () => {
      const out = await query.send(new QueryCommand({ QueryString: `SELECT assetId, time, temperature, cycles FROM "${DB}"."${TABLE}" LIMIT 1` }));
      expect(out.ColumnInfo!.map((c) => [c.Name, c.Type!.ScalarType])).toEqual([
        ['assetId', 'VARCHAR'],
        ['time', 'TIMESTAMP'],
        ['temperature', 'DOUBLE'],
        ['cycles', 'BIGINT'],
      ]);
    });

    it('upserts a record with a higher version and rejects a different value with the same version like AWS', async () => {
      await write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: [point('v1', 5, 10, 1)] }));
      await write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: [point('v1', 5, 11, 2)] }));
      const err = await write
        .send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: [point('v2', 5, 1), point('v1', 5, 12, 2), point('v1', 5, 13, 1)] }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RejectedRecordsException);
      const rejected = (err as RejectedRecordsException).RejectedRecords;
      expect((err as RejectedRecordsException).$metadata.httpStatusCode).toBe(419);
      expect(rejected).toEqual([
        { RecordIndex: 1, Reason: expect.stringMatching(/^A record already exists with the same time, dimensions, measure name, and record version/), ExistingVersion: 2 },
        { RecordIndex: 2, Reason: 'The record version 1 is lower than the existing version 2. A higher version is required to update the measure value.', ExistingVersion: 2 },
      ]);
      expect(await rows(`SELECT assetId, temperature FROM "${DB}"."${TABLE}" WHERE assetId IN ('v1', 'v2') ORDER BY assetId`)).toEqual([
        ['v1', '11.0'],
        ['v2', '1.0'],
      ]);
    });

    it('accepts an identical retry of a stored record', async () => {
      const record = point('idem', 3, 5);
      await write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: [record] }));
      const again = await write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: [record] }));
      expect(again.RecordsIngested!.Total).toBe(1);
      expect(await rows(`SELECT count(*) FROM "${DB}"."${TABLE}" WHERE assetId = 'idem'`)).toEqual([['1']]);
    });

    it('rejects more than 100 records per call with ValidationException', async () => {
      const records = Array.from({ length: 101 }, (_, i) => point(`bulk-${i}`, 1, i));
      await expect(write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: records }))).rejects.toBeInstanceOf(ValidationException);
    });

    it('rejects a malformed measure value with ValidationException naming the record', async () => {
      const bad = { ...point('bad', 1, 1), MeasureValues: [{ Name: 'temperature', Value: 'hot', Type: 'DOUBLE' as const }] };
      await expect(write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: [bad] }))).rejects.toThrow(
        /Record 0: value "hot" of measure temperature is not a valid DOUBLE/,
      );
    });

    it('rejects a record outside the ingestion window of a table without magnetic writes', async () => {
      await write.send(new CreateTableCommand({ DatabaseName: DB, TableName: 'short', RetentionProperties: { MemoryStoreRetentionPeriodInHours: 1, MagneticStoreRetentionPeriodInDays: 1 } }));
      const err = await write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: 'short', Records: [point('old', 120, 1)] })).catch((e: unknown) => e);
      expect((err as RejectedRecordsException).RejectedRecords![0].Reason).toMatch(/outside the time range/);
    });

    it('rejects event times it cannot hold (years 1, 2999, 9999) as records, writes the rest and never answers 500', async () => {
      const at = (iso: string) => ({ ...point('far', 1, 1), Time: String(Date.parse(iso)) });
      const records = [at('0001-01-01T00:00:00Z'), point('near', 2, 7), at('2999-06-01T00:00:00Z'), at('9999-12-31T23:59:59Z')];
      const err = await write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: records })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RejectedRecordsException);
      expect((err as RejectedRecordsException).$metadata.httpStatusCode).toBe(419);
      const rejected = (err as RejectedRecordsException).RejectedRecords!;
      expect(rejected.map((r) => r.RecordIndex)).toEqual([0, 2, 3]);
      // The plant table has magnetic writes on: the window is the magnetic retention up to now + 15 min.
      for (const r of rejected) expect(r.Reason).toMatch(/^The record timestamp is outside the time range \[\S+Z, \S+Z\) of the data ingestion window\.$/);
      expect(await rows(`SELECT assetId FROM "${DB}"."${TABLE}" WHERE assetId IN ('far', 'near')`)).toEqual([['near']]);
    });

    it('names the memory store in the reason when the table has no magnetic writes', async () => {
      await write.send(new CreateTableCommand({ DatabaseName: DB, TableName: 'memory-only', RetentionProperties: { MemoryStoreRetentionPeriodInHours: 1, MagneticStoreRetentionPeriodInDays: 1 } }));
      const err = await write
        .send(new WriteRecordsCommand({ DatabaseName: DB, TableName: 'memory-only', Records: [{ ...point('future', 0, 1), Time: String(Date.now() + 16 * 60_000) }] }))
        .catch((e: unknown) => e);
      expect((err as RejectedRecordsException).RejectedRecords![0].Reason).toMatch(/\) of the memory store\.$/);
    });

    it('rejects a record over the per-record quotas (name lengths, 2 KB record) as a rejected record', async () => {
      const big = { ...point('big', 1, 1), MeasureValues: [{ Name: 'note', Value: 'x'.repeat(3000), Type: 'VARCHAR' as const }] };
      const longDimension = { ...point('dim', 1, 1), Dimensions: [{ Name: 'd'.repeat(61), Value: 'v' }] };
      const err = await write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: [big, point('ok-size', 1, 1), longDimension] })).catch((e: unknown) => e);
      expect((err as RejectedRecordsException).RejectedRecords).toEqual([
        { RecordIndex: 0, Reason: 'A VARCHAR measure value exceeds the limit of 2048 bytes.' },
        { RecordIndex: 2, Reason: 'Dimension name exceeds the limit of 60 bytes.' },
      ]);
    });

    it('answers values beyond 64 bits and members of the wrong JSON type with ValidationException', async () => {
      const send = (record: unknown) => write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: [record as _Record] }));
      await expect(send({ ...point('v', 1, 1), Version: 1e19 })).rejects.toBeInstanceOf(ValidationException);
      await expect(send({ ...point('v', 1, 1), MeasureValues: [{ Name: 'n', Value: '9223372036854775808', Type: 'BIGINT' }] })).rejects.toBeInstanceOf(ValidationException);
      await expect(send({ ...point('v', 1, 1), MeasureValues: [{ Name: 't', Value: '99999999999999999', Type: 'TIMESTAMP' }] })).rejects.toBeInstanceOf(ValidationException);
      await expect(send({ ...point('v', 1, 1), Dimensions: 'assetId' })).rejects.toBeInstanceOf(ValidationException);
      await expect(send({ ...point('v', 1, 1), TimeUnit: 'constructor' })).rejects.toBeInstanceOf(ValidationException);
      await expect(send(null)).rejects.toBeInstanceOf(ValidationException);
    });

    it('answers an unknown table with ResourceNotFoundException', async () => {
      await expect(write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: 'nope', Records: [point('x', 1, 1)] }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
    });

    it('pages a query result with MaxRows and NextToken', async () => {
      const records = Array.from({ length: 25 }, (_, i) => point(`page-${String(i).padStart(2, '0')}`, 1, i));
      await write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: records }));
      const sql = `SELECT assetId FROM "${DB}"."${TABLE}" WHERE assetId LIKE 'page-%' ORDER BY assetId`;
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const out = await query.send(new QueryCommand({ QueryString: sql, MaxRows: 10, NextToken: token }));
        seen.push(...out.Rows!.map((r) => r.Data![0].ScalarValue!));
        token = out.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen).toEqual(records.map((r) => r.Dimensions![0].Value));
    });

    it('answers a query on an unknown table or with bad SQL with ValidationException', async () => {
      await expect(query.send(new QueryCommand({ QueryString: `SELECT * FROM "${DB}"."missing"` }))).rejects.toMatchObject({ name: 'ValidationException' });
      await expect(query.send(new QueryCommand({ QueryString: `SELEC 1` }))).rejects.toMatchObject({ name: 'ValidationException' });
      await expect(query.send(new QueryCommand({ QueryString: `DELETE FROM "${DB}"."${TABLE}"` }))).rejects.toMatchObject({ name: 'ValidationException' });
    });
  });

  describe('with a data folder', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'local-timestream-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('keeps written rows across a stack restart', async () => {
      stack = await startLocalAws({ port: 0, dataDir });
      connectTo(stack);
      await write.send(new WriteRecordsCommand({ DatabaseName: DB, TableName: TABLE, Records: [point('kept', 2, 42.5)] }));
      write.destroy();
      query.destroy();
      await stack.stop();

      stack = await startLocalAws({ port: 0, dataDir });
      connectTo(stack);
      expect(await rows(`SELECT assetId, temperature FROM "${DB}"."${TABLE}" WHERE assetId = 'kept'`)).toEqual([['kept', '42.5']]);
      write.destroy();
      query.destroy();
      await stack.stop();
    });
  });
});
