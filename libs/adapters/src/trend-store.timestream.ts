import { _Record, RejectedRecordsException, TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { RejectedTrendPoint, TrendPoint, TrendStore } from '@plant/domain';
import { chunk, forEachLimited } from './concurrency';

/** https://docs.aws.amazon.com/timestream/latest/developerguide/API_WriteRecords.html — at most 100 records per call. */
const WRITE_RECORDS_MAX = 100;

export interface TimestreamTrendStoreOptions {
  databaseName: string;
  tableName: string;
  concurrency?: number;
}

/**
 * TrendStore on Timestream for LiveAnalytics: one multi-measure record per trend point, dimensions
 * enterprise/plant/line/asset/source, Version = the event's ingest time. A replay writes identical
 * records with the same version, which Timestream accepts as a no-op; a record that conflicts with
 * a stored one (other values, not a higher version) or falls outside the retention window is
 * rejected for good and reported back for the dead letters. Throttling and server errors throw
 * (after the SDK's own retries) so the consumer retries the batch.
 */
export class TimestreamTrendStore implements TrendStore {
  constructor(
    private readonly client: TimestreamWriteClient,
    private readonly options: TimestreamTrendStoreOptions,
  ) {}

  async write(points: readonly TrendPoint[]): Promise<RejectedTrendPoint[]> {
    const rejected: RejectedTrendPoint[] = [];
    await forEachLimited(chunk(points, WRITE_RECORDS_MAX), this.options.concurrency ?? 8, async (batch) => {
      try {
        await this.client.send(
          new WriteRecordsCommand({ DatabaseName: this.options.databaseName, TableName: this.options.tableName, Records: batch.map(recordOf) }),
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
}

function recordOf(point: TrendPoint): _Record {
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
