import { _Record, DescribeTableCommand, RejectedRecordsException, TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import { AwsLimits } from '@plant/config';
import type { RejectedTrendPoint, TrendPoint, TrendStore } from '@plant/domain';
import { chunk, forEachLimited } from './concurrency';
import { timestreamRecordViolation } from './timestream-record-limits';

/** https://docs.aws.amazon.com/timestream/latest/developerguide/API_WriteRecords.html — at most 100 records per call. */
const WRITE_RECORDS_MAX = AwsLimits.timestream.writeRecordsMaxRecords;
/** How long the table's retention, read with DescribeTable, is trusted before it is read again. */
const RETENTION_REFRESH_MS = 10 * 60_000;
const HOUR_MS = 60 * 60_000;

export interface TimestreamTrendStoreOptions {
  databaseName: string;
  tableName: string;
  concurrency?: number;
  clock?: () => number;
}

/**
 * TrendStore on Timestream for LiveAnalytics: one multi-measure record per trend point, dimensions
 * enterprise/plant/line/asset/source, Version = the event's ingest time. A replay writes identical
 * records with the same version, which Timestream accepts as a no-op; a record that conflicts with
 * a stored one (other values, not a higher version) or falls outside the retention window is
 * rejected for good and reported back for the dead letters. Throttling and server errors throw
 * (after the SDK's own retries) so the consumer retries the batch.
 *
 * Records over Timestream's per-record limits (sizes, 15 min ahead, older than the table accepts —
 * its retention is read with DescribeTable) are not sent: they come back rejected with the reason.
 */
export class TimestreamTrendStore implements TrendStore {
  private retention?: { acceptedAgeMs: number; readAtMs: number };

  constructor(
    private readonly client: TimestreamWriteClient,
    private readonly options: TimestreamTrendStoreOptions,
  ) {}

  async write(points: readonly TrendPoint[]): Promise<RejectedTrendPoint[]> {
    const rejected: RejectedTrendPoint[] = [];
    const sendable: { point: TrendPoint; record: _Record }[] = [];
    if (points.length) {
      const nowMs = (this.options.clock ?? Date.now)();
      const acceptedFromMs = nowMs - (await this.acceptedAgeMs(nowMs));
      for (const point of points) {
        const record = timestreamRecordOf(point);
        const violation = timestreamRecordViolation(record, nowMs, acceptedFromMs);
        if (violation) rejected.push({ point, reason: `not sent to Timestream: ${violation}` });
        else sendable.push({ point, record });
      }
    }
    await forEachLimited(chunk(sendable, WRITE_RECORDS_MAX), this.options.concurrency ?? 8, async (entries) => {
      const batch = entries.map((e) => e.point);
      try {
        await this.client.send(
          new WriteRecordsCommand({ DatabaseName: this.options.databaseName, TableName: this.options.tableName, Records: entries.map((e) => e.record) }),
        );
      } catch (err) {
        if (!(err instanceof RejectedRecordsException)) throw err;
        for (const r of err.RejectedRecords ?? []) {
          const point = batch[r.RecordIndex ?? -1];
          if (!point) throw err;
          const version = r.ExistingVersion !== undefined ? ` (stored version ${r.ExistingVersion}, ours ${point.version})` : '';
          rejected.push({ point, reason: `Timestream rejected the record: ${r.Reason ?? 'no reason given'}${version}` });
        }
      }
    });
    return rejected;
  }

  /** How far back the table accepts records: magnetic store retention with magnetic writes on, else memory store retention. */
  private async acceptedAgeMs(nowMs: number): Promise<number> {
    if (!this.retention || nowMs - this.retention.readAtMs > RETENTION_REFRESH_MS) {
      const { Table } = await this.client.send(new DescribeTableCommand({ DatabaseName: this.options.databaseName, TableName: this.options.tableName }));
      const memoryHours = Table?.RetentionProperties?.MemoryStoreRetentionPeriodInHours ?? 6;
      const magneticDays = Table?.RetentionProperties?.MagneticStoreRetentionPeriodInDays ?? 73_000;
      const magneticWrites = Table?.MagneticStoreWriteProperties?.EnableMagneticStoreWrites ?? false;
      this.retention = { acceptedAgeMs: magneticWrites ? magneticDays * 24 * HOUR_MS : memoryHours * HOUR_MS, readAtMs: nowMs };
    }
    return this.retention.acceptedAgeMs;
  }
}

/** The multi-measure record of one trend point. */
export function timestreamRecordOf(point: TrendPoint): _Record {
  return {
    Dimensions: Object.entries(point.dimensions).map(([Name, Value]) => ({ Name, Value, DimensionValueType: 'VARCHAR' })),
    MeasureName: point.measureName,
    MeasureValueType: 'MULTI',
    MeasureValues: point.values.map((v) => ({ Name: v.name, Value: String(v.value), Type: v.type })),
    Time: String(point.timeMs),
    TimeUnit: 'MILLISECONDS',
    Version: point.version,
  };
}
