import { QueryCommand, TimestreamQueryClient, ValidationException } from '@aws-sdk/client-timestream-query';
import {
  PlantZones,
  RichTrendSeries,
  sampleWindowOf,
  TrendAggregateQuery,
  TrendBucketPartial,
  trendsByGroup,
  TrendScope,
  TrendSpec,
  TrendSpecGroup,
} from '@plant/domain';

/** Measures of a reading that older writers or sources leave out. */
const OPTIONAL_COLUMNS = ['quality', 'unit'] as const;
type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

export interface TimestreamTrendAggregatesOptions {
  databaseName: string;
  tableName: string;
}

/**
 * TrendAggregateQuery on Timestream for LiveAnalytics: one SQL query per group of specs (a DataLoader
 * batch of N assets, lines or plants is one query), reduced in SQL to one row per series and bucket
 * (never the raw samples: 7 days of 1 Hz are 604,800 rows, 10,080 buckets are what travels), with the
 * semantics of `partialsOfSamples` in @plant/domain, which tests compare it with:
 * - buckets aligned to the plant's zone: `floor((t + offset) / width) * width - offset`, the offset a
 *   CASE on the `plant` dimension (epoch-millisecond arithmetic, so both engines agree exactly);
 * - step-weighted values from `LEAD`/`LAG` over each asset's samples, read from one bucket before
 *   the range so the first bucket knows the value it starts with;
 * - P95 with `approx_percentile` (the local stack computes it exactly).
 * A scoped caller's query carries `plant IN (…)`.
 */
export class TimestreamTrendAggregates implements TrendAggregateQuery {
  constructor(
    private readonly client: TimestreamQueryClient,
    private readonly options: TimestreamTrendAggregatesOptions,
  ) {}

  trends(specs: readonly TrendSpec[], scope: TrendScope, zones: PlantZones): Promise<RichTrendSeries[]> {
    return trendsByGroup(specs, zones, async (group) => {
      if (scope.plantIds?.length === 0) return [];
      // Columns of optional measures the table has never received (Timestream's flexible schema): read as NULL.
      const absent = new Set<OptionalColumn>();
      for (;;) {
        try {
          return await this.query(this.sql(group, zones, scope.plantIds, absent));
        } catch (err) {
          if (!(err instanceof ValidationException)) throw err;
          // A table that has never received a `value` measure: no data, not an error.
          // (Timestream: "Column 'value' does not exist"; the local stack names the column DuckDB could not bind.)
          if (/column\W+value\W/i.test(err.message)) return [];
          const missing = OPTIONAL_COLUMNS.find((c) => !absent.has(c) && new RegExp(`column\\W+${c}\\W`, 'i').test(err.message));
          if (!missing) throw err;
          absent.add(missing);
        }
      }
    });
  }

  /** The one statement of a group (the local stack runs it through its DuckDB translation). */
  sql(group: TrendSpecGroup, zones: PlantZones, plantIds: readonly string[] | undefined, absent: ReadonlySet<OptionalColumn> = new Set()): string {
    const table = `"${this.options.databaseName}"."${this.options.tableName}"`;
    const width = group.bucketSeconds * 1000;
    const window = sampleWindowOf(group);
    const F = group.fromMs;
    const T = group.toMs;
    const offsets = Object.entries(zones).filter(([, minutes]) => minutes !== 0);
    const offset = offsets.length ? `CASE plant ${offsets.map(([p, m]) => `WHEN ${literal(p)} THEN ${m * 60_000}`).join(' ')} ELSE 0 END` : '0';
    const plantFilter = plantIds ? ` AND plant IN (${plantIds.map(literal).join(', ')})` : '';
    const twa = group.aggregates.includes('TIME_WEIGHTED_AVG');
    const p95 = group.aggregates.includes('P95');
    const byAsset = 'OVER (PARTITION BY asset ORDER BY t)';
    const column = (name: OptionalColumn) => (absent.has(name) ? `CAST(NULL AS VARCHAR) AS ${name}` : name);
    return [
      `WITH s AS (SELECT ${group.subject} AS series, asset, plant, to_milliseconds(time) AS t, value, ${column('quality')}, ${column('unit')}, ${offset} AS off`,
      `FROM ${table} WHERE measure_name = ${literal(group.measure)} AND ${group.subject} IN (${group.subjectIds.map(literal).join(', ')})${plantFilter}`,
      `AND time >= from_milliseconds(${window.fromMs}) AND time < from_milliseconds(${window.toMs})),`,
      `w AS (SELECT *, CAST(floor((t + off) / ${width}) AS BIGINT) * ${width} - off AS bucket`,
      twa ? `, LEAD(t) ${byAsset} AS next_t, LAG(t) ${byAsset} AS prev_t, LAG(value) ${byAsset} AS prev_value FROM s),` : ' FROM s),',
      `x AS (SELECT *, CASE WHEN t >= ${F} THEN value END AS v`,
      twa
        ? `, greatest(least(coalesce(next_t, ${T}), bucket + ${width}, ${T}) - greatest(t, ${F}), 0) AS held, CASE WHEN prev_t < bucket AND t >= ${F} THEN t - greatest(bucket, ${F}) ELSE 0 END AS carried FROM w)`
        : ' FROM w)',
      `SELECT series, max(plant) AS plant, bucket, count(v) AS n, sum(v) AS total, min(v) AS lo, max(v) AS hi,`,
      p95 ? `approx_percentile(v, 0.95) AS p95,` : '',
      `count(CASE WHEN v IS NOT NULL AND quality = 'good' THEN 1 END) AS good, count(CASE WHEN v IS NOT NULL AND quality = 'bad' THEN 1 END) AS bad,`,
      twa ? `sum(value * held + coalesce(prev_value * carried, 0)) AS tw_sum, sum(held + carried) AS tw_ms,` : '',
      `max(unit) AS unit FROM x WHERE bucket + ${width} > ${F} GROUP BY series, bucket`,
    ]
      .filter(Boolean)
      .join(' ');
  }

  private async query(sql: string): Promise<TrendBucketPartial[]> {
    const partials: TrendBucketPartial[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ QueryString: sql, NextToken: nextToken }));
      const names = (page.ColumnInfo ?? []).map((c) => c.Name ?? '');
      for (const row of page.Rows ?? []) {
        const v: Record<string, string | null> = {};
        names.forEach((name, i) => (v[name] = row.Data?.[i]?.NullValue ? null : (row.Data?.[i]?.ScalarValue ?? null)));
        const n = Number(v.n);
        const good = Number(v.good);
        const bad = Number(v.bad);
        partials.push({
          seriesId: String(v.series),
          plantId: String(v.plant),
          bucketStartMs: Number(v.bucket),
          count: n,
          sum: Number(v.total ?? 0),
          min: numberOrNull(v.lo),
          max: numberOrNull(v.hi),
          p95: numberOrNull(v.p95),
          good,
          bad,
          uncertain: n - good - bad,
          twSum: Number(v.tw_sum ?? 0),
          twMs: Number(v.tw_ms ?? 0),
          unit: v.unit,
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return partials;
  }
}

const numberOrNull = (value: string | null | undefined) => (value == null ? null : Number(value));

/** SQL string literal; ids are validated upstream, quotes are still doubled. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
