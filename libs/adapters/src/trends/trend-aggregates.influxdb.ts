import {
  partialsOfSamples,
  PlantZones,
  RichTrendSeries,
  sampleWindowOf,
  TrendAggregateQuery,
  TrendSample,
  trendsByGroup,
  TrendScope,
  TrendSpec,
  TrendSpecGroup,
} from '@plant/domain';
import { InfluxDbConnection, influxRequest } from '../influxdb-http';

interface InfluxQlResponse {
  results?: { statement_id: number; error?: string; series?: { name: string; columns: string[]; values: unknown[][] }[] }[];
}

/**
 * TrendAggregateQuery on Amazon Timestream for InfluxDB: one InfluxQL query per group of specs reads
 * the group's samples (from one bucket before the range, for the carried-in value) and reduces them
 * with `partialsOfSamples`, the same reference the Timestream SQL is tested against, so both stores
 * answer the same. InfluxQL has no step-weighted average, no conditional count of quality and no
 * per-tag zone offset in `GROUP BY time()`, which is why the reduction happens here; it costs a
 * transfer of the raw samples (7 days of 1 Hz: 604,800 rows), see docs/trends.md.
 */
export class InfluxDbTrendAggregates implements TrendAggregateQuery {
  constructor(private readonly connection: InfluxDbConnection) {}

  trends(specs: readonly TrendSpec[], scope: TrendScope, zones: PlantZones): Promise<RichTrendSeries[]> {
    return trendsByGroup(specs, zones, async (group) => {
      if (scope.plantIds?.length === 0) return [];
      const body = new URLSearchParams({ db: this.connection.bucket, q: trendSamplesInfluxQl(group, scope.plantIds), epoch: 'ms' });
      const response = (await (await influxRequest(this.connection, '/query', { method: 'POST', body })).json()) as InfluxQlResponse;
      const [result] = response.results ?? [];
      if (result?.error) throw new Error(`InfluxDB query failed: ${result.error}`);
      const samples: TrendSample[] = (result?.series ?? []).flatMap((s) => {
        const at = (name: string) => s.columns.indexOf(name);
        return s.values
          .filter((row) => typeof row[at('value')] === 'number')
          .map((row) => ({
            seriesId: String(row[at(group.subject)]),
            assetId: String(row[at('asset')]),
            plantId: String(row[at('plant')]),
            timeMs: Number(row[at('time')]),
            value: row[at('value')] as number,
            quality: row[at('quality')] as string | null,
            unit: row[at('unit')] as string | null,
          }));
      });
      return partialsOfSamples(samples, group, zones);
    });
  }
}

/** The one InfluxQL statement of a group's samples (the local stack serves exactly this shape). */
export function trendSamplesInfluxQl(group: TrendSpecGroup, plantIds?: readonly string[]): string {
  const alternatives = (values: readonly string[]) => values.map((v) => v.replace(/[\\^$.|?*+()[\]{}/]/g, '\\$&')).join('|');
  const plantFilter = plantIds ? ` AND "plant" =~ /^(?:${alternatives(plantIds)})$/` : '';
  const window = sampleWindowOf(group);
  return (
    `SELECT "value", "quality", "unit", "asset", "line", "plant" FROM "${group.measure.replace(/(["\\])/g, '\\$1')}" ` +
    `WHERE "${group.subject}" =~ /^(?:${alternatives(group.subjectIds)})$/${plantFilter} AND time >= ${window.fromMs}ms AND time < ${window.toMs}ms`
  );
}
