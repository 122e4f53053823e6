import { type LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { type ConsumedRecord, type FailureClass, lagMs, poisonHoldBoundMs } from '@plant/stream-consumer';
import { ConsumerTestBed, FAST_SETTINGS, RecordingProcessor, waitFor } from '@plant/stream-consumer/testing';

/**
 * A processor like the router: a batch holding a poison payload fails for a record reason (the
 * sink refuses it); `transientFailures` failures of any batch come first, like a throttled backend.
 * Isolated records are kept as the router keeps dead letters.
 */
class PoisonAwareProcessor extends RecordingProcessor {
  readonly isolated: { shardId: string; sequenceNumber: string; payload: string; reason: string; at: number }[] = [];
  readonly calls: { shardId: string; first: string; size: number; at: number }[] = [];
  transientFailures = 0;

  constructor(private readonly poison: Set<string>) {
    super();
    this.rejectWhen = (batch) => {
      if (this.transientFailures > 0) {
        this.transientFailures--;
        return 'ThrottlingException';
      }
      const bad = batch.payloads.find((p) => this.poison.has(p));
      return bad ? `RangeError: the sink refuses ${bad}` : undefined;
    };
  }

  override process(shardId: string, records: readonly ConsumedRecord[]): Promise<void> {
    this.calls.push({ shardId, first: records[0].sequenceNumber, size: records.length, at: Date.now() });
    return super.process(shardId, records);
  }

  classifyFailure(error: unknown): FailureClass {
    return (error as Error).message.startsWith('ThrottlingException') ? 'transient' : 'record';
  }

  isolate(shardId: string, record: ConsumedRecord, error: unknown): Promise<void> {
    this.isolated.push({ shardId, sequenceNumber: record.sequenceNumber, payload: Buffer.from(record.data).toString(), reason: (error as Error).message, at: Date.now() });
    return Promise.resolve();
  }
}

describe('stream consumer: bounded retries and per-record isolation (kinesalite + dynalite)', () => {
  let stack: LocalAwsStack;
  let bed: ConsumerTestBed;
  let streamNo = 0;
  const newStream = () => bed.createStream(`isolation-test-${++streamNo}`, 1);
  const settings = { ...FAST_SETTINGS, maxRecordsPerGet: 64, maxAttempts: 3, retryBaseMs: 40, maxRetryDelayMs: 200 };

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    bed = new ConsumerTestBed(stack);
  });
  afterEach(() => bed.stopWorkers());
  afterAll(async () => {
    bed.destroy();
    await stack.stop();
  });

  it('isolates the poison records of a batch, acknowledges every other record once and in order, and moves the checkpoint past them within the bound', async () => {
    const stream = await newStream();
    const [[shardId, seqs]] = [...(await bed.put(stream, 64))];
    const poison = new Set(['r-5', 'r-40']);
    const processor = new PoisonAwareProcessor(poison);
    processor.holdMs = 10;
    const worker = bed.worker(stream, 'w1', processor, settings);
    await worker.start();
    await waitFor(async () => (await bed.leases(stream)).get(shardId)?.checkpoint === seqs[63], 20_000, 'checkpoint at the last record');

    expect(processor.isolated.map((i) => i.payload).sort()).toEqual([...poison].sort());
    expect(processor.isolated.every((i) => i.reason.includes('the sink refuses'))).toBe(true);
    // Every record ends exactly once, acknowledged or isolated, in sequence order.
    const ended = [...processor.acknowledgedOf(shardId), ...processor.isolated.map((i) => i.sequenceNumber)];
    expect(ended.sort()).toEqual([...seqs].sort());
    expect(new Set(ended).size).toBe(seqs.length);
    const acknowledged = processor.acknowledgedOf(shardId);
    expect(acknowledged).toEqual(seqs.filter((s) => acknowledged.includes(s)));

    // The whole batch was tried maxAttempts times, then split: at most 2 calls per level per poison record.
    const depth = Math.ceil(Math.log2(64));
    expect(processor.calls.filter((c) => c.size === 64)).toHaveLength(settings.maxAttempts);
    expect(processor.calls.length).toBeLessThanOrEqual(settings.maxAttempts + poison.size * 2 * depth);

    // How long the batch held the shard: first call to the last step, against the documented bound
    // with the longest step (call, checkpoint or isolation write) seen in this run.
    const times = [...processor.calls.map((c) => c.at), ...processor.isolated.map((i) => i.at)].sort((a, b) => a - b);
    const lastCall = processor.calls[processor.calls.length - 1];
    const steps = times.slice(1).map((t, i) => t - times[i]);
    const held = lastCall.at + processor.holdMs - times[0];
    expect(held).toBeLessThanOrEqual(poisonHoldBoundMs(settings, 64, Math.max(...steps, processor.holdMs), poison.size));
    // The checkpoint lands in the table a moment before the consumer resets the shard's status.
    await waitFor(() => worker.shardStatuses()[0].flow === 'flowing', 5_000, 'the shard flowing again');
    expect(worker.shardStatuses()[0]).toMatchObject({ flow: 'flowing', pendingRecords: 0, failures: 0 });
    await expect(worker.healthCheck().check()).resolves.toBeUndefined();
  });

  it('retries a transiently failing batch without isolating anything; /health names the shard while it is stuck and recovers', async () => {
    const stream = await newStream();
    const [[shardId, seqs]] = [...(await bed.put(stream, 20))];
    const processor = new PoisonAwareProcessor(new Set());
    processor.transientFailures = 8;
    const worker = bed.worker(stream, 'w1', processor, settings);
    await worker.start();
    await waitFor(() => processor.batches.length >= settings.maxAttempts + 1, 10_000, 'attempts beyond maxAttempts');
    const unready = await worker.healthCheck().check().then(
      () => 'ready',
      (err: Error) => err.message,
    );
    const [status] = worker.shardStatuses();
    expect(status).toMatchObject({ flow: 'retrying', pendingRecords: 20 });
    expect(lagMs(status, Date.now())).toBeGreaterThan(0);
    expect(unready).toMatch(new RegExp(`shard ${shardId} retrying .* failed attempts, 20 records pending; last failure \\(transient\\): (Error: )?ThrottlingException`));

    await waitFor(async () => (await bed.leases(stream)).get(shardId)?.checkpoint === seqs[19], 20_000, 'checkpoint after the fault');
    expect(processor.isolated).toEqual([]);
    expect(processor.acknowledgedOf(shardId)).toEqual(seqs);
    expect(processor.batches.filter((b) => b.sequenceNumbers.length === 20).length).toBe(9);
    await waitFor(() => worker.shardStatuses()[0].flow === 'flowing', 5_000, 'the shard flowing again');
    await expect(worker.healthCheck().check()).resolves.toBeUndefined();
  });

  it('a crash in the middle of a bisection resumes after the last checkpointed part: nothing lost, nothing acknowledged twice', async () => {
    const stream = await newStream();
    const [[shardId, seqs]] = [...(await bed.put(stream, 64))];
    const first = new PoisonAwareProcessor(new Set(['r-50']));
    const poisonRule = first.rejectWhen!;
    // The process dies when the bisection reaches the second half (r-32…r-63), after the first half was
    // checkpointed; parts of the second half may still be checkpointed before the halt takes effect.
    let halted: Promise<void> | undefined;
    first.rejectWhen = (b) => {
      if (b.payloads.length === 32 && b.payloads[0] === 'r-32') halted ??= w1.halt();
      return poisonRule(b);
    };
    const w1 = bed.worker(stream, 'w1', first, settings);
    await w1.start();
    await waitFor(() => halted !== undefined, 20_000, 'the crash');
    await halted;
    const checkpointed = seqs.indexOf((await bed.leases(stream)).get(shardId)!.checkpoint);
    expect(checkpointed).toBeGreaterThanOrEqual(31);
    expect(checkpointed).toBeLessThan(63);

    const second = new PoisonAwareProcessor(new Set(['r-50']));
    const w2 = bed.worker(stream, 'w2', second, settings);
    await w2.start();
    await waitFor(async () => (await bed.leases(stream)).get(shardId)?.checkpoint === seqs[63], 20_000, 'checkpoint at the last record');
    // w2 starts right after the last checkpointed part and ends every later record once.
    expect(second.calls[0].first).toBe(seqs[checkpointed + 1]);
    const endedBySecond = [...second.acknowledgedOf(shardId), ...second.isolated.map((i) => i.sequenceNumber)];
    expect(endedBySecond.sort()).toEqual(seqs.slice(checkpointed + 1).sort());
    expect(first.acknowledgedOf(shardId).slice(0, 32)).toEqual(seqs.slice(0, 32));
    expect([...first.isolated, ...second.isolated].filter((i) => i.payload === 'r-50')).toHaveLength(1);
  });
});
