import { poisonHoldBoundMs, retryDelayMs } from '../src/consumer/batch-delivery';
import { blockedReason, lagMs, newShardStatus } from '../src/consumer/shard-status';
import { AcknowledgedWrites } from '../src/routing/acknowledged-writes';
import { isolationLetterOf, MAX_ISOLATION_REASON_CHARS, SinkWriteError } from '../src/routing/sink-failure';

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

describe('isolation dead letters and acknowledged writes', () => {
  it('an isolated record names the sink that refused it and a reason capped to fit any dead letter', () => {
    const letter = isolationLetterOf(new SinkWriteError('raw-events', new RangeError('x'.repeat(2_000_000))));
    expect(letter.stage).toBe('raw-events');
    expect(letter.reason.length).toBeLessThanOrEqual(MAX_ISOLATION_REASON_CHARS + 20);
    expect(letter.reason).toMatch(/^failed alone after bisection: RangeError: x+… \(truncated\)$/);
    expect(isolationLetterOf(new RangeError('Invalid time value'))).toEqual({ stage: 'router', reason: 'failed alone after bisection: RangeError: Invalid time value' });
  });

  it('remembers what a shard acknowledged until the records before or through a sequence are settled', () => {
    const acks = new AcknowledgedWrites();
    acks.add('s1', '001', 'raw');
    acks.add('s1', '002', 'raw');
    acks.add('s1', '002', 'dlq:decode');
    acks.add('s2', '001', 'raw');
    expect([acks.has('s1', '002', 'dlq:decode'), acks.has('s1', '002', 'dlq:trend-store'), acks.has('s2', '002', 'raw')]).toEqual([true, false, false]);
    acks.forget('s1', '002', false);
    expect([acks.has('s1', '001', 'raw'), acks.has('s1', '002', 'raw'), acks.size]).toEqual([false, true, 2]);
    acks.forget('s1', '002', true);
    expect([acks.has('s1', '002', 'raw'), acks.has('s2', '001', 'raw'), acks.size]).toEqual([false, true, 1]);
  });
});
