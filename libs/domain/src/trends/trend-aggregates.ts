import type { TrendScope } from './trend-scope';
import { bucketStartOf, bucketStartsOf, TrendAggregate, TrendFill, TrendSpec, TrendSubject } from './trend-spec';

/**
 * Trend aggregates and their semantics, once, for every backend.
 *
 * - AVG, MIN, MAX, COUNT, P95 over the samples in the bucket (P95 interpolates linearly between the
 *   two nearest ranks, like DuckDB's `quantile_cont` and Trino's exact percentile).
 * - TIME_WEIGHTED_AVG with step semantics: a sample's value holds until the asset's next sample (or
 *   the end of the bucket or range); the bucket's first segment takes the last value before the
 *   bucket when it is known (samples are read from one bucket before the range). For a line or plant
 *   the held values of all its assets are pooled: Σ value × held time / Σ held time.
 * - GOOD_PERCENT: 100 × good samples / samples (a sample without quality counts as uncertain).
 * A backend reduces the samples of a bucket to a `TrendBucketPartial` (Timestream in SQL, InfluxDB
 * through `partialsOfSamples` below); `finishTrend` turns partials into points and fills gaps.
 */
export interface TrendSample {
  /** The series the sample belongs to: its asset, line or plant id (the subject's dimension). */
  seriesId: string;
  assetId: string;
  plantId: string;
  timeMs: number;
  value: number;
  quality?: string | null;
  unit?: string | null;
}

/** What a backend answers per series and bucket. */
export interface TrendBucketPartial {
  seriesId: string;
  plantId: string;
  bucketStartMs: number;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  p95: number | null;
  good: number;
  uncertain: number;
  bad: number;
  /** Σ value × held milliseconds and Σ held milliseconds within the bucket and range. */
  twSum: number;
  twMs: number;
  unit?: string | null;
}

export interface TrendValues {
  /** ISO-8601 start of the bucket. */
  time: string;
  count: number;
  avg: number | null;
  timeWeightedAvg: number | null;
  min: number | null;
  max: number | null;
  p95: number | null;
  goodPercent: number | null;
  goodCount: number;
  uncertainCount: number;
  badCount: number;
  /** True when the bucket had no sample and its values come from the fill rule. */
  filled: boolean;
}

export interface RichTrendSeries {
  subject: TrendSubject;
  subjectId: string;
  measure: string;
  unit?: string;
  bucketSeconds: number;
  fromMs: number;
  toMs: number;
  /** Offset of the plant's zone the buckets are aligned to (minutes east of UTC). */
  utcOffsetMinutes: number;
  aggregates: readonly TrendAggregate[];
  fill: TrendFill;
  points: TrendValues[];
}

/** Offsets of the plants' time zones, minutes east of UTC; a plant not listed is on UTC. */
export type PlantZones = Readonly<Record<string, number>>;
export const offsetOfPlant = (zones: PlantZones, plantId: string): number => zones[plantId] ?? 0;

/** The samples a backend reads for a spec: from one bucket before the range (the carried-in value). */
export const sampleWindowOf = (spec: Pick<TrendSpec, 'fromMs' | 'toMs' | 'bucketSeconds'>) => ({ fromMs: spec.fromMs - spec.bucketSeconds * 1000, toMs: spec.toMs });

/** Reduces raw samples (sample window, any order) to partials: the reference every backend must equal. */
export function partialsOfSamples(samples: readonly TrendSample[], spec: Pick<TrendSpec, 'fromMs' | 'toMs' | 'bucketSeconds'>, zones: PlantZones): TrendBucketPartial[] {
  const width = spec.bucketSeconds * 1000;
  const byAsset = new Map<string, TrendSample[]>();
  for (const s of samples) byAsset.set(s.assetId, [...(byAsset.get(s.assetId) ?? []), s]);
  const partials = new Map<string, TrendBucketPartial & { values: number[] }>();
  for (const series of byAsset.values()) {
    series.sort((a, b) => a.timeMs - b.timeMs);
    series.forEach((s, i) => {
      const bucket = bucketStartOf(s.timeMs, spec.bucketSeconds, offsetOfPlant(zones, s.plantId));
      if (bucket + width <= spec.fromMs) return;
      const key = `${s.seriesId}|${bucket}`;
      let p = partials.get(key);
      if (!p) {
        p = { seriesId: s.seriesId, plantId: s.plantId, bucketStartMs: bucket, count: 0, sum: 0, min: null, max: null, p95: null, good: 0, uncertain: 0, bad: 0, twSum: 0, twMs: 0, values: [] };
        partials.set(key, p);
      }
      const next = series[i + 1]?.timeMs ?? spec.toMs;
      const held = Math.max(Math.min(next, bucket + width, spec.toMs) - Math.max(s.timeMs, spec.fromMs), 0);
      const prev = series[i - 1];
      const inRange = s.timeMs >= spec.fromMs;
      const carried = prev && prev.timeMs < bucket && inRange ? s.timeMs - Math.max(bucket, spec.fromMs) : 0;
      p.twSum += s.value * held + (carried ? prev.value * carried : 0);
      p.twMs += held + carried;
      if (!inRange) return;
      p.count++;
      p.sum += s.value;
      p.min = p.min === null ? s.value : Math.min(p.min, s.value);
      p.max = p.max === null ? s.value : Math.max(p.max, s.value);
      if (s.quality === 'good') p.good++;
      else if (s.quality === 'bad') p.bad++;
      else p.uncertain++;
      p.values.push(s.value);
      if (s.unit && (!p.unit || s.unit > p.unit)) p.unit = s.unit;
    });
  }
  return [...partials.values()].map(({ values, ...p }) => ({ ...p, p95: percentile(values, 0.95) }));
}

/** Linear interpolation between closest ranks (DuckDB `quantile_cont`). */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const NUMERIC = ['avg', 'timeWeightedAvg', 'min', 'max', 'p95', 'goodPercent'] as const;

/** Points of one series from its partials (any order), in the buckets of its plant's zone, gaps filled by `spec.fill`. */
export function finishTrend(spec: TrendSpec, partials: readonly TrendBucketPartial[], zones: PlantZones): RichTrendSeries {
  const plantId = partials[0]?.plantId;
  const utcOffsetMinutes = plantId === undefined ? 0 : offsetOfPlant(zones, plantId);
  const unit = partials.map((p) => p.unit).find((u) => u) ?? undefined;
  const series: RichTrendSeries = { ...spec, unit, utcOffsetMinutes, points: [] };
  const withData = new Map(partials.filter((p) => p.count > 0).map((p) => [p.bucketStartMs, valuesOf(p)]));
  if (withData.size === 0) return series;
  if (spec.fill === 'NONE') {
    series.points = [...withData.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
    return series;
  }
  const starts = bucketStartsOf(spec.fromMs, spec.toMs, spec.bucketSeconds, utcOffsetMinutes);
  let previous: { at: number; values: TrendValues } | undefined;
  const nextData = (from: number) => starts.slice(from).find((s) => withData.has(s));
  series.points = starts.map((start, i) => {
    const own = withData.get(start);
    if (own) {
      previous = { at: start, values: own };
      return own;
    }
    const empty: TrendValues = { ...valuesOf(undefined), time: new Date(start).toISOString(), filled: true };
    if (!previous) return empty;
    if (spec.fill === 'PREVIOUS') {
      for (const key of NUMERIC) empty[key] = previous.values[key];
      return empty;
    }
    const nextStart = nextData(i + 1);
    if (nextStart === undefined) return empty;
    const next = withData.get(nextStart)!;
    const ratio = (start - previous.at) / (nextStart - previous.at);
    for (const key of NUMERIC) {
      const a = previous.values[key];
      const b = next[key];
      empty[key] = a === null || b === null ? null : a + (b - a) * ratio;
    }
    return empty;
  });
  return series;
}

function valuesOf(p: TrendBucketPartial | undefined): TrendValues {
  return {
    time: p ? new Date(p.bucketStartMs).toISOString() : '',
    count: p?.count ?? 0,
    avg: p && p.count > 0 ? p.sum / p.count : null,
    timeWeightedAvg: p && p.twMs > 0 ? p.twSum / p.twMs : null,
    min: p?.min ?? null,
    max: p?.max ?? null,
    p95: p?.p95 ?? null,
    goodPercent: p && p.count > 0 ? (100 * p.good) / p.count : null,
    goodCount: p?.good ?? 0,
    uncertainCount: p?.uncertain ?? 0,
    badCount: p?.bad ?? 0,
    filled: false,
  };
}

/** One backend query's worth of specs: same subject kind, measure, range, bucket and aggregates. */
export interface TrendSpecGroup {
  subject: TrendSubject;
  measure: string;
  fromMs: number;
  toMs: number;
  bucketSeconds: number;
  aggregates: readonly TrendAggregate[];
  subjectIds: string[];
}

/** The read side of richer trends (port): one series per spec, in spec order. */
export interface TrendAggregateQuery {
  trends(specs: readonly TrendSpec[], scope: TrendScope, zones: PlantZones): Promise<RichTrendSeries[]>;
}

/**
 * Answers specs with one backend query per group of specs that share everything but the subject id
 * and fill (a DataLoader batch of N assets costs one query per group).
 */
export async function trendsByGroup(
  specs: readonly TrendSpec[],
  zones: PlantZones,
  queryGroup: (group: TrendSpecGroup) => Promise<TrendBucketPartial[]>,
): Promise<RichTrendSeries[]> {
  const groupKey = (s: TrendSpec) => [s.subject, s.measure, s.fromMs, s.toMs, s.bucketSeconds, s.aggregates.join(',')].join('|');
  const groups = new Map<string, TrendSpec[]>();
  for (const s of specs) groups.set(groupKey(s), [...(groups.get(groupKey(s)) ?? []), s]);
  const partialsOf = new Map<string, TrendBucketPartial[]>();
  await Promise.all(
    [...groups.entries()].map(async ([key, group]) => {
      const { subject, measure, fromMs, toMs, bucketSeconds, aggregates } = group[0];
      const subjectIds = [...new Set(group.map((s) => s.subjectId))];
      for (const id of subjectIds) partialsOf.set(`${key}|${id}`, []);
      for (const p of await queryGroup({ subject, measure, fromMs, toMs, bucketSeconds, aggregates, subjectIds })) partialsOf.get(`${key}|${p.seriesId}`)?.push(p);
    }),
  );
  return specs.map((s) => selectAggregates(finishTrend(s, partialsOf.get(`${groupKey(s)}|${s.subjectId}`) ?? [], zones)));
}

/** Drops what the caller did not ask for, so an aggregate never appears that was not computed on purpose. */
export function selectAggregates(series: RichTrendSeries): RichTrendSeries {
  const keep = new Set(series.aggregates);
  const drop: [TrendAggregate, keyof TrendValues][] = [
    ['AVG', 'avg'],
    ['TIME_WEIGHTED_AVG', 'timeWeightedAvg'],
    ['MIN', 'min'],
    ['MAX', 'max'],
    ['P95', 'p95'],
    ['GOOD_PERCENT', 'goodPercent'],
  ];
  const points = series.points.map((p) => {
    const out = { ...p };
    for (const [aggregate, key] of drop) if (!keep.has(aggregate)) (out as Record<string, unknown>)[key] = null;
    return out;
  });
  return { ...series, points };
}
