/**
 * Kinesis allows 5 GetRecords calls per second per shard, shared by every consumer of the shard
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html), so calls of one
 * shard are at least 200 ms apart.
 */
export const MIN_GET_RECORDS_INTERVAL_MS = 200;

export interface PacerSettings {
  /** Delay after a read that returned records while the consumer is caught up. */
  pollIntervalMs: number;
  /** Upper bound of the delay after consecutive empty reads. */
  maxIdleDelayMs: number;
  /** MillisBehindLatest above which the consumer counts as behind and reads again at once. */
  behindThresholdMs?: number;
  /** First delay after a throttled or failed call; doubles up to maxBackoffMs. */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
}

/**
 * When the next GetRecords call of one shard may run: tight while the consumer is behind (a full
 * page or MillisBehindLatest above the threshold), the poll interval when it is caught up, a
 * doubling delay on consecutive empty reads, and an exponential backoff with jitter after throttling
 * or errors, never more often than the per-shard call limit.
 */
export class PollPacer {
  private lastCallAt = Number.NEGATIVE_INFINITY;
  private readyAt = 0;
  private emptyReads = 0;
  private failures = 0;

  constructor(
    private readonly settings: PacerSettings,
    private readonly random: () => number = Math.random,
  ) {}

  /** Milliseconds to wait before the next call. */
  delayBefore(now: number): number {
    return Math.max(0, this.lastCallAt + MIN_GET_RECORDS_INTERVAL_MS - now, this.readyAt - now);
  }

  callStarted(now: number): void {
    this.lastCallAt = now;
  }

  /** After a successful read: `returned` records of at most `limit`. */
  readSucceeded(now: number, returned: number, limit: number, millisBehindLatest = 0): void {
    this.failures = 0;
    const behind = returned >= limit || millisBehindLatest > (this.settings.behindThresholdMs ?? 1_000);
    if (returned === 0 && !behind) {
      this.emptyReads++;
      const delay = Math.min(this.settings.pollIntervalMs * 2 ** (this.emptyReads - 1), this.settings.maxIdleDelayMs);
      this.readyAt = now + delay;
      return;
    }
    this.emptyReads = 0;
    this.readyAt = behind ? now : now + this.settings.pollIntervalMs;
  }

  /** After throttling or an error: exponential backoff, randomised over its upper half so shards do not retry in step. */
  readFailed(now: number): number {
    this.failures++;
    const base = this.settings.backoffBaseMs ?? 500;
    const cap = Math.min(base * 2 ** (this.failures - 1), this.settings.maxBackoffMs ?? 10_000);
    const delay = Math.max(MIN_GET_RECORDS_INTERVAL_MS, Math.round(cap * (0.5 + this.random() / 2)));
    this.readyAt = now + delay;
    return delay;
  }
}
