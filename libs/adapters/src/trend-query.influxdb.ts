import { seriesByGroup, TrendQuery, TrendRequest, TrendScope, TrendSeries } from '@plant/domain';
import { InfluxDbConnection, influxRequest } from './influxdb-http';
import { rethrowAsDomainError } from './sdk-errors';

interface InfluxQlResponse {
  results?: { statement_id: number; error?: string; series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[] }[];
}

/**
 * TrendQuery on Amazon Timestream for InfluxDB: one InfluxQL query per (measure, range, bucket)
 * group with every asset of the group in one tag regex, so a DataLoader batch of N assets costs one
 * query. Runs on the v1-compatible `/query` API (InfluxDB 2 maps each bucket to a virtual
 * database of the same name). `GROUP BY time(…)` buckets start at multiples of the width since the
 * epoch, like Timestream's `bin()`, so both adapters answer the same buckets. A scoped caller's query
 * carries a regex on the `plant` tag, so points of other plants are never read (TrendScope).
 */
export class InfluxDbTrendQuery implements TrendQuery {
  constructor(private readonly connection: InfluxDbConnection) {}

  series(requests: readonly TrendRequest[], scope: TrendScope = {}): Promise<TrendSeries[]> {
    return seriesByGroup(requests, async ({ measure, assetIds, lastSeconds, bucketSeconds }) => {
      // A caller scoped to no plant reads nothing (an empty regex alternative would match every plant).
      if (scope.plantIds?.length === 0) return [];
      const q = trendInfluxQl(measure, assetIds, lastSeconds, bucketSeconds, scope.plantIds);
      const body = new URLSearchParams({ db: this.connection.bucket, q, epoch: 'ms' });
      const response = (await influxRequest(this.connection, '/query', { method: 'POST', body })
        .then((r) => r.json())
        .catch(rethrowAsDomainError('influxdb'))) as InfluxQlResponse;
      const [result] = response.results ?? [];
      if (result?.error) throw new Error(`InfluxDB query failed: ${result.error}`);
      return (result?.series ?? []).flatMap((s) => {
        const at = (name: string) => s.columns.indexOf(name);
        return s.values.map((row) => ({
          assetId: s.tags?.asset ?? '',
          unit: (row[at('unit')] as string | null) ?? undefined,
          bucket: {
            time: new Date(Number(row[at('time')])).toISOString(),
            avg: Number(row[at('avg')]),
            min: Number(row[at('min')]),
            max: Number(row[at('max')]),
            count: Number(row[at('count')]),
          },
        }));
      });
    });
  }
}

/** The one InfluxQL statement of a trend group (the local stack serves exactly this shape). */
export function trendInfluxQl(measure: string, assetIds: readonly string[], lastSeconds: number, bucketSeconds: number, plantIds?: readonly string[]): string {
  const alternatives = (values: readonly string[]) => values.map((v) => v.replace(/[\\^$.|?*+()[\]{}/]/g, '\\$&')).join('|');
  const plantFilter = plantIds ? ` AND "plant" =~ /^(?:${alternatives(plantIds)})$/` : '';
  return (
    `SELECT mean("value") AS "avg", min("value") AS "min", max("value") AS "max", count("value") AS "count", last("unit") AS "unit" ` +
    `FROM "${measure.replace(/(["\\])/g, '\\$1')}" WHERE "asset" =~ /^(?:${alternatives(assetIds)})$/${plantFilter} AND time > now() - ${lastSeconds}s ` +
    `GROUP BY time(${bucketSeconds}s), "asset" fill(none)`
  );
}
