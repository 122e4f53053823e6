import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { kinesisStreamConsumerBackends } from '@plant/adapters';
import { ResourceNames } from '@plant/config';
import { type LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { ObservabilityModule } from '@plant/observability';
import { RECORD_PROCESSOR, StreamConsumerModule } from '@plant/stream-consumer';
import { ConsumerTestBed, FAST_SETTINGS, RecordingProcessor, waitFor } from '@plant/stream-consumer/testing';

/** Stands in for an app's routing module: provides its RecordProcessor under RECORD_PROCESSOR. */
function processorModule(processor: RecordingProcessor) {
  @Module({ providers: [{ provide: RECORD_PROCESSOR, useValue: processor }], exports: [RECORD_PROCESSOR] })
  class TestProcessorModule {}
  return TestProcessorModule;
}

describe('StreamConsumerModule', () => {
  let stack: LocalAwsStack;
  let bed: ConsumerTestBed;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    bed = new ConsumerTestBed(stack);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    bed.destroy();
    await stack.stop();
  });

  /** The module as an app wires it: the processor injected from the module that provides it. */
  function consumerModule(stream: string, given: RecordingProcessor) {
    return StreamConsumerModule.forRootAsync({
      imports: [processorModule(given)],
      inject: [RECORD_PROCESSOR],
      useFactory: (processor: RecordingProcessor) => ({
        settings: { ...FAST_SETTINGS, workerId: 'module-worker', maxRecordsPerGet: 50 },
        backends: kinesisStreamConsumerBackends(
          { region: 'eu-central-1', endpoint: stack.endpoint },
          { streamName: stream, leaseTableName: ResourceNames.leaseTable },
        ),
        processor,
      }),
    });
  }

  async function startApp(stream: string, processor: RecordingProcessor) {
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forRoot({ app: 'consumer-test', logLevel: 'warn' }), consumerModule(stream, processor)],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${app.getHttpServer().address().port}`;
  }

  it('consumes the stream with the processor it is given, and reports health and metrics', async () => {
    const stream = await bed.createStream('module-test-1');
    const put = await bed.put(stream, 300);
    const processor = new RecordingProcessor();
    const url = await startApp(stream, processor);

    await waitFor(() => processor.acknowledgedCount() === 300, 10_000, 'all records');
    for (const [shardId, seqs] of put) expect(processor.acknowledgedOf(shardId)).toEqual(seqs);

    const health = await (await fetch(`${url}/health`)).json();
    expect(health.status).toBe('ok');
    expect(Object.keys(health.checks)).toEqual(
      expect.arrayContaining(['stream-consumer', `kinesis:${stream}`, `dynamodb:${ResourceNames.leaseTable}`]),
    );
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/stream_consumer_leases_held\{app="consumer-test"\} 4/);
    const consumed = [...metrics.matchAll(/stream_consumer_records_total\{shard="[^"]+",app="consumer-test"\} (\d+)/g)];
    expect(consumed.reduce((n, m) => n + Number(m[1]), 0)).toBe(300);
  });

  it('app.close() lets the batch in the processor finish, checkpoints it and releases every lease', async () => {
    const stream = await bed.createStream('module-test-2');
    await bed.put(stream, 400);
    const processor = new RecordingProcessor();
    processor.holdMs = 300;
    await startApp(stream, processor);
    await waitFor(() => processor.busyRecords > 0, 5_000, 'a batch in the processor');
    const inFlight = processor.batches.filter((b) => !processor.acknowledged.includes(b));

    await app!.close();
    app = undefined;

    expect(processor.busyRecords).toBe(0);
    for (const batch of inFlight) expect(processor.acknowledged).toContain(batch);
    const leases = await bed.leases(stream);
    for (const lease of leases.values()) {
      expect(lease.owner).toBeUndefined();
      const acknowledged = processor.acknowledgedOf(lease.shardId);
      expect(lease.checkpoint).toBe(acknowledged.length ? acknowledged[acknowledged.length - 1] : 'TRIM_HORIZON');
    }
  });

  it('refuses to compile without a RecordProcessor, naming the missing token', async () => {
    const withoutProcessor = StreamConsumerModule.forRootAsync({
      inject: [RECORD_PROCESSOR],
      useFactory: () => {
        throw new Error('unreachable: the processor cannot be resolved');
      },
    });
    const compiling = Test.createTestingModule({
      imports: [ObservabilityModule.forRoot({ app: 'consumer-test', logLevel: 'silent' }), withoutProcessor],
    }).compile();
    await expect(compiling).rejects.toThrow(/RECORD_PROCESSOR/);
  });
});
