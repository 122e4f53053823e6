import { InvalidArgumentError } from '../errors';

/**
 * Read side of the trend store (port): aggregated trend buckets of one measure of many assets.
 * Timestream today; a Timestream-for-InfluxDB adapter can implement the same port (DESIGN.md §2).
 */
export interface TrendRequest {
  assetId: string;
  /** A sensor or tag measure (`temperature`, `vibration`, …) as the stream-writer stores it. */
  measure: string;
  /** How far back from now. */
  lastSeconds: number;
  /** Bucket width of the aggregation. */
  bucketSeconds: number;
}

export interface TrendBucket {
  /** ISO-8601 start of the bucket. */
  time: string;
  avg: number;
  min: number;
  max: number;
  count: number;
}

export interface TrendSeries {
  assetId: string;
  measure: string;
  unit?: string;
  bucketSeconds: number;
  points: TrendBucket[];
}

/** Row filter of the caller (Lake Formation's data-cells filter, in the API). */
export interface TrendScope {
  /** Only readings of these plants; undefined = every plant. */
  plantIds?: readonly string[];
}

export interface TrendQuery {
  /**
   * One series per request, in request order (empty points where there is no data, and for assets
   * outside the scope: the same answer as an unknown asset, so nothing leaks their existence).
   */
  series(requests: readonly TrendRequest[], scope?: TrendScope): Promise<TrendSeries[]>;
}

/** One backend query's worth of trend requests: one measure, range and bucket, all their assets at once. */
export interface TrendGroup {
  measure: string;
  lastSeconds: number;
  bucketSeconds: number;
  assetIds: string[];
}

/** One bucket a backend answered for a group (rows of any asset, in any order). */
export interface TrendGroupRow {
  assetId: string;
  unit?: string | null;
  bucket: TrendBucket;
}

/**
 * Answers trend requests with one backend query per group of requests that share measure, range
 * and bucket (a DataLoader batch of N assets costs one query per group, not N), every series in
 * request order, empty where the backend has no data (or the caller may not see it).
 */
export async function seriesByGroup(
  requests: readonly TrendRequest[],
  queryGroup: (group: TrendGroup) => Promise<TrendGroupRow[]>,
): Promise<TrendSeries[]> {
  const groupKey = (r: TrendRequest) => `${r.measure}|${r.lastSeconds}|${r.bucketSeconds}`;
  const seriesKey = (assetId: string, r: TrendRequest) => `${assetId}|${groupKey(r)}`;
  const groups = new Map<string, TrendRequest[]>();
  for (const r of requests) groups.set(groupKey(r), [...(groups.get(groupKey(r)) ?? []), r]);
  const results = new Map<string, TrendSeries>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const { measure, lastSeconds, bucketSeconds } = group[0];
      const assetIds = [...new Set(group.map((r) => r.assetId))];
      for (const assetId of assetIds) results.set(seriesKey(assetId, group[0]), { assetId, measure, bucketSeconds, points: [] });
      for (const row of await queryGroup({ measure, lastSeconds, bucketSeconds, assetIds })) {
        const series = results.get(seriesKey(row.assetId, group[0]));
        if (!series) continue;
        series.unit ??= row.unit ?? undefined;
        series.points.push(row.bucket);
      }
    }),
  );
  return requests.map((r) => results.get(seriesKey(r.assetId, r))!);
}

const DURATION = /^(\d{1,6})(s|m|h|d)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
export const TREND_LIMITS = { maxLastSeconds: 31 * 86_400, minBucketSeconds: 1, maxBuckets: 2_000 } as const;
const MEASURE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** `90s`, `15m`, `1h`, `7d` → seconds. */
export function parseDuration(argument: string, text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new InvalidArgumentError(argument, `"${text}" is not a duration such as 90s, 15m, 1h or 7d`);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  if (seconds <= 0) throw new InvalidArgumentError(argument, 'must be greater than 0');
  return seconds;
}

/** Validates and builds a request: bounded range and at most `maxBuckets` buckets per series. */
export function trendRequestOf(assetId: string, measure: string, last: string, bucket: string): TrendRequest {
  if (!MEASURE.test(measure)) throw new InvalidArgumentError('measure', 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter');
  const lastSeconds = parseDuration('last', last);
  const bucketSeconds = parseDuration('bucket', bucket);
  if (lastSeconds > TREND_LIMITS.maxLastSeconds) throw new InvalidArgumentError('last', 'must be at most 31d');
  if (lastSeconds / bucketSeconds > TREND_LIMITS.maxBuckets) {
    throw new InvalidArgumentError('bucket', `gives more than ${TREND_LIMITS.maxBuckets} buckets over ${last}: choose a wider bucket`);
  }
  return { assetId, measure, lastSeconds, bucketSeconds };
}
