import { InvalidArgumentError } from '../errors';
import { parseDuration } from './trend-scope';

/**
 * A richer trend request (PI Web API summaries / Cognite aggregates): one measure of an asset, or of
 * every asset of a line or plant together, over an absolute range or the last duration, in buckets
 * aligned to the plant's own time zone, with the aggregates the caller asks for and a fill rule for
 * empty buckets. Pure; the adapters turn a group of these into one backend query.
 */
export const TREND_AGGREGATES = ['AVG', 'TIME_WEIGHTED_AVG', 'MIN', 'MAX', 'P95', 'COUNT', 'GOOD_PERCENT'] as const;
export type TrendAggregate = (typeof TREND_AGGREGATES)[number];
export const TREND_FILLS = ['NONE', 'PREVIOUS', 'LINEAR'] as const;
export type TrendFill = (typeof TREND_FILLS)[number];
/** Which dimension the series is over: one asset, or all assets of a line or plant pooled. */
export type TrendSubject = 'asset' | 'line' | 'plant';

export interface TrendSpec {
  subject: TrendSubject;
  subjectId: string;
  measure: string;
  /** Range [fromMs, toMs) in epoch milliseconds. */
  fromMs: number;
  toMs: number;
  bucketSeconds: number;
  aggregates: readonly TrendAggregate[];
  fill: TrendFill;
}

/**
 * Bounds. The bucket count is what a trend costs (the gateway prices `points` at one per bucket and
 * refuses an operation above GATEWAY_MAX_COST); the subgraph refuses above `maxBuckets` on its own so
 * that a caller who bypasses the gateway's estimate still cannot ask for more. 7 days of 1-minute
 * buckets (10,080) fit; the range stays within the trend store's memory-store retention.
 */
export const RICH_TREND_LIMITS = { maxRangeSeconds: 31 * 86_400, maxBuckets: 50_000, maxFutureSeconds: 86_400 } as const;
const MEASURE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export interface TrendArgs {
  measure: string;
  from?: string | null;
  to?: string | null;
  last?: string | null;
  bucket: string;
  aggregates?: readonly TrendAggregate[] | null;
  fill?: TrendFill | null;
}

/** The time range of `from`/`to` (ISO-8601) or `last` (a duration back from now), validated. */
export function trendRangeOf(args: Pick<TrendArgs, 'from' | 'to' | 'last'>, nowMs: number): { fromMs: number; toMs: number } {
  if (args.last != null && (args.from != null || args.to != null)) throw new InvalidArgumentError('last', 'give either last or from/to, not both');
  if (args.from == null) {
    if (args.to != null) throw new InvalidArgumentError('from', 'is required with to');
    const lastSeconds = parseDuration('last', args.last ?? '1h');
    return { fromMs: nowMs - lastSeconds * 1000, toMs: nowMs };
  }
  const fromMs = instant('from', args.from);
  const toMs = args.to == null ? nowMs : instant('to', args.to);
  if (toMs <= fromMs) throw new InvalidArgumentError('to', 'must be after from');
  if (toMs > nowMs + RICH_TREND_LIMITS.maxFutureSeconds * 1000) throw new InvalidArgumentError('to', 'must be at most 1 day in the future');
  return { fromMs, toMs };
}

function instant(argument: string, text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new InvalidArgumentError(argument, `"${text}" is not an ISO-8601 time with a zone, such as 2026-11-30T06:00:00Z`);
  return ms;
}

/** Buckets of width `bucketSeconds` aligned to local midnight of a zone `offsetMinutes` east of UTC. */
export function bucketStartOf(timeMs: number, bucketSeconds: number, offsetMinutes: number): number {
  const width = bucketSeconds * 1000;
  const offset = offsetMinutes * 60_000;
  return Math.floor((timeMs + offset) / width) * width - offset;
}

/** Every bucket start overlapping [fromMs, toMs), oldest first. */
export function bucketStartsOf(fromMs: number, toMs: number, bucketSeconds: number, offsetMinutes: number): number[] {
  const starts: number[] = [];
  for (let t = bucketStartOf(fromMs, bucketSeconds, offsetMinutes); t < toMs; t += bucketSeconds * 1000) starts.push(t);
  return starts;
}

/** At most how many aligned buckets overlap a range (what a trend costs): one more than fit when unaligned. */
export function trendBucketCount(fromMs: number, toMs: number, bucketSeconds: number): number {
  return Math.ceil((toMs - fromMs) / (bucketSeconds * 1000)) + 1;
}

/** Validates a trend request of one subject; every refusal names the argument and the limit. */
export function trendSpecOf(subject: TrendSubject, subjectId: string, args: TrendArgs, nowMs: number): TrendSpec {
  if (!ID.test(subjectId)) throw new InvalidArgumentError('id', 'must be 1-128 letters, digits, "_", ".", ":" or "-"');
  if (!MEASURE.test(args.measure)) throw new InvalidArgumentError('measure', 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter');
  const { fromMs, toMs } = trendRangeOf(args, nowMs);
  const bucketSeconds = parseDuration('bucket', args.bucket);
  if (toMs - fromMs > RICH_TREND_LIMITS.maxRangeSeconds * 1000) throw new InvalidArgumentError(args.last != null ? 'last' : 'from', 'the range must be at most 31d (older history: dailyKpis from the lake)');
  const buckets = trendBucketCount(fromMs, toMs, bucketSeconds);
  if (buckets > RICH_TREND_LIMITS.maxBuckets) {
    throw new InvalidArgumentError('bucket', `gives ${buckets} buckets, more than the limit of ${RICH_TREND_LIMITS.maxBuckets}: choose a wider bucket or a shorter range`);
  }
  const aggregates = [...new Set(args.aggregates ?? ['AVG', 'MIN', 'MAX', 'COUNT'])] as TrendAggregate[];
  if (aggregates.length === 0) throw new InvalidArgumentError('aggregates', 'name at least one aggregate');
  return { subject, subjectId, measure: args.measure, fromMs, toMs, bucketSeconds, aggregates: aggregates.sort(), fill: args.fill ?? 'NONE' };
}
