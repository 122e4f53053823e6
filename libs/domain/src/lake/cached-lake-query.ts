import { LRUCache } from 'lru-cache';
import { lakeLiteral, LakeQuery, LakeQueryError, LakeQueryOptions, LakeResult, LakeStatement } from './lake-query';

export interface LakeCacheOptions {
  /** Results kept (least recently used dropped first). */
  maxEntries: number;
  /** How long a result that reads a partition after the watermark is reused, ms. */
  openPartitionTtlMs: number;
  /**
   * The last `dt` (yyyy-MM-dd) whose partitions are final: the ETL will not change them again.
   * A result over partitions up to it is kept until evicted; one past it expires after `openPartitionTtlMs`.
   */
  watermark: () => string;
  now?: () => number;
}

/**
 * Results cached by query text + parameters + partition watermark: a finished production day is
 * never queried twice, today's partition is re-read after a short time. Concurrent identical
 * statements share one engine query (Athena bills every query).
 */
export class CachedLakeQuery implements LakeQuery {
  private readonly results: LRUCache<string, LakeResult>;
  private readonly inFlight = new Map<string, Promise<LakeResult>>();
  /** Engine queries started (cache misses); read by tests and metrics. */
  misses = 0;

  constructor(
    private readonly inner: LakeQuery,
    private readonly options: LakeCacheOptions,
  ) {
    // ttlResolution 0: read the clock on every check (the default caches it for 1 ms on a real timer).
    this.results = new LRUCache({ max: options.maxEntries, perf: { now: options.now ?? Date.now }, ttlResolution: 0 });
  }

  query(statement: LakeStatement, options: LakeQueryOptions = {}): Promise<LakeResult> {
    const watermark = this.options.watermark();
    const open = statement.partitions.to > watermark;
    // An open range's key carries the watermark too: when the day turns, yesterday's open result is not reused.
    const key = `${statement.sql}\u0000${statement.parameters.map(lakeLiteral).join('\u0000')}${open ? `\u0000${watermark}` : ''}`;
    const cached = this.results.get(key);
    if (cached) return Promise.resolve(cached);
    const running = this.inFlight.get(key);
    // A shared query that another caller aborted is not this caller's answer: run it again.
    if (running) return running.catch((err: unknown) => (isCancelled(err) && !options.signal?.aborted ? this.query(statement, options) : Promise.reject(err)));
    this.misses++;
    const started = this.inner
      .query(statement, options)
      .then((result) => {
        this.results.set(key, result, open ? { ttl: this.options.openPartitionTtlMs } : {});
        return result;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}

const isCancelled = (err: unknown) => err instanceof LakeQueryError && err.code === 'CANCELLED';

const DAY_MS = 86_400_000;

/**
 * The clock's watermark: the last production day (06:00–06:00 UTC) that ended at least `settleMs`
 * ago, so the ETL has had time to write it. `dt` of a day is the date of its 06:00 start.
 */
export function productionDayWatermark(settleMs: number, now: () => number = Date.now): () => string {
  return () => {
    const settled = now() - settleMs;
    const dayStart = Math.floor((settled - 6 * 3_600_000) / DAY_MS) * DAY_MS + 6 * 3_600_000;
    return new Date(dayStart - DAY_MS).toISOString().slice(0, 10);
  };
}
