import { AcknowledgedWrites } from '../src/routing/acknowledged-writes';
import { isolationLetterOf, MAX_ISOLATION_REASON_CHARS, SinkWriteError } from '../src/routing/sink-failure';

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
