import { blockedReason, lagMs, newShardStatus, poisonHoldBoundMs, retryDelayMs } from '@plant/stream-consumer';

describe('poison-record bound and shard status', () => {
  const defaults = { maxAttempts: 3, retryBaseMs: 200, maxRetryDelayMs: 10_000 };

  it('retry delays double from the base up to the cap', () => {
    expect([1, 2, 3, 7, 8].map((a) => retryDelayMs(defaults, a))).toEqual([200, 400, 800, 10_000, 10_000]);
  });

  it('the documented bound with the defaults: 0.6 s of backoff plus 3 + 3 × 14 + 2 = 47 steps for one poison record in 10,000', () => {
    expect(poisonHoldBoundMs(defaults, 10_000, 1_000)).toBe(600 + 47 * 1_000);
    expect(poisonHoldBoundMs(defaults, 10_000, 1_000, 2)).toBe(600 + (3 + 2 * 44) * 1_000);
    expect(poisonHoldBoundMs({ ...defaults, maxAttempts: 1 }, 1, 1_000)).toBe(3_000);
  });

  it('a shard is reported blocked while bisecting at once, while retrying only from maxAttempts failures on', () => {
    const status = newShardStatus('shardId-1');
    expect(blockedReason(status, 3, 0)).toBeUndefined();
    Object.assign(status, { flow: 'retrying', failures: 2, blockedSinceMs: 0, pendingRecords: 5, lastFailure: { class: 'transient', message: 'ThrottlingException' } });
    expect(blockedReason(status, 3, 1_000)).toBeUndefined();
    status.failures = 3;
    expect(blockedReason(status, 3, 4_500)).toBe('shard shardId-1 retrying for 4.5 s, 3 failed attempts, 5 records pending; last failure (transient): ThrottlingException');
    Object.assign(status, { flow: 'bisecting', failures: 1 });
    expect(blockedReason(status, 3, 1_000)).toMatch(/^shard shardId-1 bisecting/);
  });

  it('lag is the age of the oldest unacknowledged record, else MillisBehindLatest', () => {
    const status = { ...newShardStatus('s'), millisBehindLatest: 300 };
    expect(lagMs(status, 10_000)).toBe(300);
    status.oldestPendingArrivalMs = 4_000;
    expect(lagMs(status, 10_000)).toBe(6_000);
  });
});
