import { _Record, DescribeTableCommand, RejectedRecordsException, TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import { type EntryFailure, sendInBatches } from '@plant/aws';
import { AwsLimits } from '@plant/config';
import type { RejectedTrendPoint, TrendPoint, TrendStore } from '@plant/domain';
import { timestreamRecordViolation } from './timestream-record-limits';

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
    // Rejected records are final (a version conflict, a record the table cannot take): one attempt, reported.
    const { failed } = await sendInBatches({
      items: sendable,
      limits: { maxEntries: AwsLimits.timestream.writeRecordsMaxRecords },
      concurrency: this.options.concurrency ?? 8,
      send: async (entries) => {
        try {
          await this.client.send(
            new WriteRecordsCommand({ DatabaseName: this.options.databaseName, TableName: this.options.tableName, Records: entries.map((e) => e.record) }),
          );
          return entries.map(() => undefined);
        } catch (err) {
          if (!(err instanceof RejectedRecordsException)) throw err;
          const reasons = entries.map((): EntryFailure | undefined => undefined);
          for (const r of err.RejectedRecords ?? []) {
            const index = r.RecordIndex ?? -1;
            if (!entries[index]) throw err;
            const version = r.ExistingVersion !== undefined ? ` (stored version ${r.ExistingVersion}, ours ${entries[index].point.version})` : '';
            reasons[index] = { code: 'RejectedRecord', message: `Timestream rejected the record: ${r.Reason ?? 'no reason given'}${version}` };
          }
          return reasons;
        }
      },
      isRetryable: () => false,
      retry: { attempts: 1, minDelayMs: 0, maxDelayMs: 0 },
    });
    for (const { item, failure } of failed) rejected.push({ point: item.point, reason: failure.message ?? failure.code });
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
