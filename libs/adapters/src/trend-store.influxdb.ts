import type { RejectedTrendPoint, TrendPoint, TrendStore, TrendValue } from '@plant/domain';
import { sendInBatches } from '@plant/aws';
import { InfluxDbConnection, InfluxDbHttpError, influxRequest } from './influxdb-http';

/** InfluxDB recommends batches of about 5,000 lines. https://docs.influxdata.com/influxdb/v2/write-data/best-practices/optimize-writes/ */
const LINES_PER_WRITE = 5_000;

/**
 * TrendStore on Amazon Timestream for InfluxDB: one line-protocol point per trend point —
 * measurement = the measure name, tags enterprise/plant/line/asset/source, fields = the point's
 * values, time = event time (ms). A replay writes the same series and time, which InfluxDB treats as
 * an overwrite with identical values, so at-least-once delivery stays idempotent (Timestream's
 * Version is not needed). A batch InfluxDB refuses as invalid (400, e.g. a field type conflict) or
 * beyond the bucket's retention (422) is reported back for the dead letters — InfluxDB may have
 * written its valid lines, so those points can be both stored and dead-lettered; 401/404 (token or
 * bucket wrong), 429 and 5xx throw so the consumer retries and the health check shows it.
 */
export class InfluxDbTrendStore implements TrendStore {
  constructor(
    private readonly connection: InfluxDbConnection,
    private readonly concurrency = 4,
  ) {}

  async write(points: readonly TrendPoint[]): Promise<RejectedTrendPoint[]> {
    const rejected: RejectedTrendPoint[] = [];
    const { org, bucket } = this.connection;
    const path = `/api/v2/write?${new URLSearchParams({ org, bucket, precision: 'ms' })}`;
    // A refused batch is final (invalid or beyond retention): one attempt, its points reported for the dead letters.
    const { failed } = await sendInBatches({
      items: points,
      limits: { maxEntries: LINES_PER_WRITE },
      concurrency: this.concurrency,
      send: async (batch) => {
        try {
          await influxRequest(this.connection, path, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: batch.map(lineOf).join('\n') });
          return batch.map(() => undefined);
        } catch (err) {
          if (!(err instanceof InfluxDbHttpError) || (err.status !== 400 && err.status !== 422)) throw err;
          return batch.map(() => ({ code: String(err.status), message: `InfluxDB rejected the write: ${err.message}` }));
        }
      },
      isRetryable: () => false,
      retry: { attempts: 1, minDelayMs: 0, maxDelayMs: 0 },
    });
    for (const { item, failure } of failed) rejected.push({ point: item, reason: failure.message ?? failure.code });
    return rejected;
  }
}

/** `<measure>,asset=…,enterprise=…,line=…,plant=…,source=… value=1.5,quality="good" <ms>` (tags sorted). */
export function lineOf(point: TrendPoint): string {
  const tags = Object.entries(point.dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${escapeKey(key)}=${escapeKey(value)}`)
    .join(',');
  const fields = point.values.map((v) => `${escapeKey(v.name)}=${fieldOf(v)}`).join(',');
  return `${escapeMeasurement(point.measureName)},${tags} ${fields} ${point.timeMs}`;
}

function fieldOf(value: TrendValue): string {
  switch (value.type) {
    case 'DOUBLE':
      // Without the `i` suffix a number is a float in line protocol, whole or not.
      return String(value.value);
    case 'BIGINT':
      return `${value.value}i`;
    case 'VARCHAR':
      return `"${value.value.replace(/(["\\])/g, '\\$1')}"`;
  }
}

const escapeMeasurement = (text: string) => text.replace(/([, \\])/g, '\\$1');
const escapeKey = (text: string) => text.replace(/([,= \\])/g, '\\$1');
