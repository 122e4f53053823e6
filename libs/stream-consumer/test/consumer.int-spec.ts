import { SplitShardCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '@plant/config';
import { type LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { SHARD_END } from '@plant/stream-consumer';
import { CapturingLogger, ConsumerTestBed, FaultInjectingSource, firstDeliveries, RecordingProcessor, total, waitFor } from '@plant/stream-consumer/testing';

describe('stream consumer against kinesalite and dynalite', () => {
  let stack: LocalAwsStack;
  let bed: ConsumerTestBed;
  let streamNo = 0;
  const newStream = (shards = 4) => bed.createStream(`consumer-test-${++streamNo}`, shards);

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    bed = new ConsumerTestBed(stack);
  });
  afterEach(() => bed.stopWorkers());
  afterAll(async () => {
    bed.destroy();
    await stack.stop();
  });

  it('delivers every record of every shard in shard order and checkpoints the last one', async () => {
    const stream = await newStream();
    const put = await bed.put(stream, 1_000);
    const processor = new RecordingProcessor();
    const worker = bed.worker(stream, 'w1', processor);
    await worker.start();

    await waitFor(() => processor.acknowledgedCount() === 1_000, 10_000, 'all records');
    expect([...put.keys()].sort()).toHaveLength(4);
    for (const [shardId, sequenceNumbers] of put) expect(processor.acknowledgedOf(shardId)).toEqual(sequenceNumbers);
    expect(processor.acknowledged.flatMap((b) => b.payloads).sort()).toEqual(Array.from({ length: 1_000 }, (_, i) => `r-${i}`).sort());
    await waitFor(async () => {
      const leases = await bed.leases(stream);
      return [...put].every(([shardId, seqs]) => leases.get(shardId)?.checkpoint === seqs[seqs.length - 1]);
    }, 5_000, 'checkpoints at the last record');
    const leases = await bed.leases(stream);
    expect([...leases.values()].map((l) => l.owner)).toEqual(['w1', 'w1', 'w1', 'w1']);
  });

  it('a graceful stop releases the leases at the checkpoint and a restart resumes after it', async () => {
    const stream = await newStream();
    const first = await bed.put(stream, 400, 'first');
    const before = new RecordingProcessor();
    const w1 = bed.worker(stream, 'w1', before);
    await w1.start();
    await waitFor(() => before.acknowledgedCount() === 400, 10_000, 'first records');
    await w1.stop();

    const released = await bed.leases(stream);
    for (const [shardId, seqs] of first) {
      expect(released.get(shardId)).toMatchObject({ owner: undefined, checkpoint: seqs[seqs.length - 1] });
    }

    const second = await bed.put(stream, 200, 'second');
    const after = new RecordingProcessor();
    const w2 = bed.worker(stream, 'w2', after);
    const startedAt = Date.now();
    await w2.start();
    // Released leases are free: taken in the first taker run, not after a lease duration.
    expect(w2.heldShardIds()).toHaveLength(4);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    await waitFor(() => after.acknowledgedCount() === 200, 10_000, 'second records');
    await new Promise((r) => setTimeout(r, 300));
    for (const [shardId, seqs] of second) expect(after.acknowledgedOf(shardId)).toEqual(seqs);
    expect(after.batches.flatMap((b) => b.payloads).every((p) => p.startsWith('second-'))).toBe(true);
  });

  it('after a crash the unacknowledged batch is delivered again and acknowledged batches are not', async () => {
    const stream = await newStream();
    const put = await bed.put(stream, 400);
    const [shardId, seqs] = [...put].sort((a, b) => b[1].length - a[1].length)[0];
    const blockedAt = seqs[50];
    const crashing = new RecordingProcessor();
    // The batch holding `blockedAt` is never acknowledged on that shard before the crash.
    crashing.rejectWhen = (b) => (b.sequenceNumbers.includes(blockedAt) ? 'sink down' : undefined);
    const w1 = bed.worker(stream, 'w1', crashing, { maxRecordsPerGet: 20 });
    await w1.start();
    await waitFor(() => crashing.batches.some((b) => b.sequenceNumbers.includes(blockedAt) && b.attempt >= 2), 10_000, 'the retried batch');
    await waitFor(() => crashing.acknowledgedCount() === 400 - (seqs.length - 40), 10_000, 'other shards');
    await w1.halt();
    const lease = (await bed.leases(stream)).get(shardId)!;
    expect(lease).toMatchObject({ owner: 'w1', checkpoint: seqs[39] });

    const recovering = new RecordingProcessor();
    const w2 = bed.worker(stream, 'w2', recovering, { maxRecordsPerGet: 20 });
    await w2.start();
    await waitFor(() => recovering.acknowledgedOf(shardId).length === seqs.length - 40, 10_000, 'redelivery');
    expect(recovering.acknowledgedOf(shardId)).toEqual(seqs.slice(40));
    // The other shards were fully acknowledged before the crash: nothing of them comes again.
    await new Promise((r) => setTimeout(r, 300));
    expect(recovering.batches.every((b) => b.shardId === shardId)).toBe(true);
  });

  it('two workers share the four shards two and two', async () => {
    const stream = await newStream();
    const put = await bed.put(stream, 400);
    const p1 = new RecordingProcessor();
    const p2 = new RecordingProcessor();
    const w1 = bed.worker(stream, 'w1', p1);
    const w2 = bed.worker(stream, 'w2', p2);
    await Promise.all([w1.start(), w2.start()]);

    await waitFor(() => w1.heldShardIds().length === 2 && w2.heldShardIds().length === 2, 10_000, 'a 2/2 split');
    const owners = [...(await bed.leases(stream)).values()].map((l) => l.owner).sort();
    expect(owners).toEqual(['w1', 'w1', 'w2', 'w2']);
    expect(new Set([...w1.heldShardIds(), ...w2.heldShardIds()]).size).toBe(4);
    // Records put after the split go to whoever owns the shard now; every record arrives, in shard order.
    const more = await bed.put(stream, 400, 'more');
    await waitFor(() => {
      const got = new Set([...p1.acknowledged, ...p2.acknowledged].flatMap((b) => b.sequenceNumbers));
      return [...put.values(), ...more.values()].flat().every((s) => got.has(s));
    }, 10_000, 'every record');
    for (const shardId of w1.heldShardIds()) {
      const tail = more.get(shardId)!;
      expect(p1.acknowledgedOf(shardId).slice(-tail.length)).toEqual(tail);
    }
  });

  it("takes over a crashed worker's shards after lease expiry without losing a record", async () => {
    const stream = await newStream();
    const before = await bed.put(stream, 400, 'before');
    const p1 = new RecordingProcessor();
    const p2 = new RecordingProcessor();
    const w1 = bed.worker(stream, 'w1', p1);
    const w2 = bed.worker(stream, 'w2', p2);
    await Promise.all([w1.start(), w2.start()]);
    await waitFor(() => w1.heldShardIds().length === 2 && w2.heldShardIds().length === 2, 10_000, 'a 2/2 split');
    const crashedShards = w1.heldShardIds();

    await w1.halt();
    const crashedAt = Date.now();
    const after = await bed.put(stream, 400, 'after');
    await waitFor(() => w2.heldShardIds().length === 4, 10_000, 'takeover');
    // Not before the crashed worker's leases expired: 1 s without a counter change, which w2 may
    // have started counting up to one renewal interval (333 ms) before the crash.
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(1_000 - 334);

    const all = [...before.values(), ...after.values()].flat();
    await waitFor(() => {
      const got = new Set([...p1.acknowledged, ...p2.acknowledged].flatMap((b) => b.sequenceNumbers));
      return all.every((s) => got.has(s));
    }, 10_000, 'every record');
    for (const shardId of crashedShards) {
      const delivered = firstDeliveries([...p1.acknowledgedOf(shardId), ...p2.acknowledgedOf(shardId)]);
      expect(delivered).toEqual([...before.get(shardId)!, ...after.get(shardId)!]);
    }
  });

  it('retries a rejected batch and checkpoints nothing past it until it is acknowledged', async () => {
    const stream = await newStream();
    const put = await bed.put(stream, 200);
    const [shardId, seqs] = [...put][0];
    const processor = new RecordingProcessor();
    let rejectionsLeft = 3;
    const checkpointsWhileFailing: string[] = [];
    processor.rejectWhen = (b) => {
      if (b.shardId !== shardId || b.sequenceNumbers[0] !== seqs[10] || rejectionsLeft === 0) return undefined;
      rejectionsLeft--;
      return 'timestream throttled';
    };
    const worker = bed.worker(stream, 'w1', processor, { maxRecordsPerGet: 10 });
    await worker.start();
    await waitFor(async () => {
      // Sampled between the first rejection and the acknowledgement.
      if (rejectionsLeft > 0 && rejectionsLeft < 3) checkpointsWhileFailing.push((await bed.leases(stream)).get(shardId)!.checkpoint);
      return rejectionsLeft === 0;
    }, 10_000, 'three rejections');
    await waitFor(() => processor.acknowledgedOf(shardId).length === seqs.length, 10_000, 'the shard');

    const attempts = processor.batches.filter((b) => b.shardId === shardId && b.sequenceNumbers[0] === seqs[10]);
    expect(attempts.map((b) => b.attempt)).toEqual([1, 2, 3, 4]);
    expect(new Set(attempts.map((b) => b.sequenceNumbers.join()))).toEqual(new Set([seqs.slice(10, 20).join()]));
    expect(checkpointsWhileFailing.length).toBeGreaterThan(0);
    // The batch before the rejected one is checkpointed, the rejected one is not.
    expect(new Set(checkpointsWhileFailing)).toEqual(new Set([seqs[9]]));
    expect(processor.acknowledgedOf(shardId)).toEqual(seqs);
  });

  it('reads the children of a split shard only after the parent reached SHARD_END', async () => {
    const stream = await newStream();
    // Shard 0 covers the lowest quarter of the hash key range; hash key 1 lands in it.
    const parentRecords = (await bed.put(stream, 300, 'parent', '1')).get('shardId-000000000000')!;
    expect(parentRecords).toHaveLength(300);
    const processor = new RecordingProcessor();
    processor.holdMs = 5; // slow enough that the split happens while the parent is being read
    const worker = bed.worker(stream, 'w1', processor, { maxRecordsPerGet: 20 });
    await worker.start();
    await waitFor(() => processor.acknowledgedOf('shardId-000000000000').length >= 20, 5_000, 'parent reading');

    const quarter = 2n ** 128n / 4n;
    await bed.kinesis.send(
      new SplitShardCommand({ StreamName: stream, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (quarter / 2n).toString() }),
    );
    await waitFor(async () => {
      const s = await bed.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      return s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
    }, 5_000, 'split done');
    const low = (await bed.put(stream, 50, 'low', '1')).get('shardId-000000000004')!;
    const high = (await bed.put(stream, 50, 'high', (quarter / 2n + 1n).toString())).get('shardId-000000000005')!;
    expect([low.length, high.length]).toEqual([50, 50]);

    await waitFor(() => processor.acknowledgedOf('shardId-000000000004').length === 50 && processor.acknowledgedOf('shardId-000000000005').length === 50, 15_000, 'children');
    const leases = await bed.leases(stream);
    expect(leases.get('shardId-000000000000')).toMatchObject({ checkpoint: SHARD_END, owner: undefined });
    expect(leases.get('shardId-000000000004')?.parentShardIds).toEqual(['shardId-000000000000']);
    expect(processor.acknowledgedOf('shardId-000000000000')).toEqual(parentRecords);
    const parentDone = Math.max(...processor.acknowledged.filter((b) => b.shardId === 'shardId-000000000000').map((b) => b.at));
    const firstChild = Math.min(...processor.batches.filter((b) => b.shardId.endsWith('4') || b.shardId.endsWith('5')).map((b) => b.at));
    expect(firstChild).toBeGreaterThanOrEqual(parentDone);
    expect(processor.acknowledgedOf('shardId-000000000004')).toEqual(low);
    expect(processor.acknowledgedOf('shardId-000000000005')).toEqual(high);
  });

  it('stops reading a shard as soon as another worker owns its lease', async () => {
    const stream = await newStream();
    await bed.put(stream, 100);
    const processor = new RecordingProcessor();
    const worker = bed.worker(stream, 'w1', processor);
    await worker.start();
    await waitFor(() => processor.acknowledgedCount() === 100, 10_000, 'first records');
    const victim = 'shardId-000000000001';
    const lease = (await bed.leases(stream)).get(victim)!;
    // What another worker's steal and heartbeats do to the item: new owner, counter moving on.
    const doc = DynamoDBDocumentClient.from(bed.dynamodb);
    const intruderWrite = () =>
      doc.send(
        new UpdateCommand({
          TableName: ResourceNames.leaseTable,
          Key: { leaseKey: lease.leaseKey },
          UpdateExpression: 'SET leaseOwner = :other, leaseCounter = leaseCounter + :one',
          ExpressionAttributeValues: { ':other': 'intruder', ':one': 1 },
        }),
      );
    await intruderWrite();
    const heartbeat = setInterval(() => void intruderWrite(), 200);
    try {
      await waitFor(() => !worker.heldShardIds().includes(victim), 2_000, 'the lease loss');
      const more = await bed.put(stream, 200, 'more');
      await waitFor(() => processor.acknowledgedCount() === 100 + total(more) - (more.get(victim)?.length ?? 0), 10_000, 'other shards');
      await new Promise((r) => setTimeout(r, 1_500));
      expect(processor.acknowledgedOf(victim).some((s) => more.get(victim)!.includes(s))).toBe(false);
      expect(worker.heldShardIds()).not.toContain(victim);
    } finally {
      clearInterval(heartbeat);
    }
    expect((await bed.leases(stream)).get(victim)?.owner).toBe('intruder');
  });

  it('re-reads from the checkpoint after an expired iterator and backs off when throttled, losing and repeating nothing', async () => {
    const stream = await newStream(1);
    const first = (await bed.put(stream, 30, 'first')).get('shardId-000000000000')!;
    const processor = new RecordingProcessor();
    let source!: FaultInjectingSource;
    const logger = new CapturingLogger();
    const worker = bed.worker(stream, 'w1', processor, { maxRecordsPerGet: 10 }, logger, (inner) => (source = new FaultInjectingSource(inner)));
    await worker.start();
    await waitFor(() => processor.acknowledgedCount() === 30, 5_000, 'first records');
    source.faults.push('expire', 'throttle', 'throttle');
    const throttledAt = Date.now();
    const second = (await bed.put(stream, 30, 'second')).get('shardId-000000000000')!;
    await waitFor(() => processor.acknowledgedCount() === 60, 10_000, 'second records');

    expect(processor.acknowledgedOf('shardId-000000000000')).toEqual([...first, ...second]);
    expect(source.iteratorRequests.map((r) => r.position)).toEqual([
      { type: 'TRIM_HORIZON' },
      { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: first[first.length - 1] },
    ]);
    // Two throttles back off 250-500 ms and 500-1000 ms (retryBase of the pacer: 500 ms).
    expect(Date.now() - throttledAt).toBeGreaterThanOrEqual(750);
    expect(logger.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ msg: 'GetRecords throttled, backing off' })]),
    );
  });

  it('caps the records in flight over all shards and gives the processor one batch per shard at a time', async () => {
    const stream = await newStream();
    await bed.put(stream, 2_000);
    const processor = new RecordingProcessor();
    processor.holdMs = 30;
    const worker = bed.worker(stream, 'w1', processor, { maxRecordsPerGet: 100, maxRecordsInFlight: 150 });
    let maxInFlight = 0;
    const sampler = setInterval(() => (maxInFlight = Math.max(maxInFlight, worker.recordsInFlight)), 2);
    await worker.start();
    await waitFor(() => processor.acknowledgedCount() === 2_000, 20_000, 'all records');
    clearInterval(sampler);
    expect(maxInFlight).toBeLessThanOrEqual(150);
    expect(processor.maxBusyRecords).toBeLessThanOrEqual(150);
    // The cap bit: with 4 shards × 100 records unconstrained, more than 150 would have been in flight.
    expect(processor.maxBusyRecords).toBeGreaterThan(100);
    expect(processor.maxBusyPerShard).toBe(1);
  });
});
