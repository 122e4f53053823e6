import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfigModule, loadConfig } from '@plant/config';
import { ObservabilityModule } from '@plant/observability';
import { type LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { StreamWriterModule } from '../src/app.module';
import { StreamWriterConfigSchema } from '../src/config';
import { ConsumerModule } from '../src/consumer/consumer.module';
import { RECORD_PROCESSOR } from '../src/consumer/record-processor';
import { ConsumerTestBed, RecordingProcessor, waitFor } from './consumer-harness';

/** Stands in for the routing module: provides the app's RecordProcessor under RECORD_PROCESSOR. */
function processorModule(processor: RecordingProcessor) {
  @Module({ providers: [{ provide: RECORD_PROCESSOR, useValue: processor }], exports: [RECORD_PROCESSOR] })
  class TestProcessorModule {}
  return TestProcessorModule;
}

describe('ConsumerModule in the stream-writer app', () => {
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

  async function startApp(stream: string, processor: RecordingProcessor) {
    const config = loadConfig(StreamWriterConfigSchema, {
      AWS_ENDPOINT_URL: stack.endpoint,
      PLANT_EVENTS_STREAM: stream,
      LOG_LEVEL: 'warn',
      STREAM_CONSUMER_WORKER_ID: 'app-worker',
      STREAM_CONSUMER_LEASE_DURATION_MS: '1000',
      STREAM_CONSUMER_POLL_INTERVAL_MS: '50',
      STREAM_CONSUMER_MAX_RECORDS_PER_GET: '50',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [StreamWriterModule.forRoot(config), processorModule(processor)],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${app.getHttpServer().address().port}`;
  }

  it('consumes the configured stream with the RecordProcessor the app provides, and reports health and metrics', async () => {
    const stream = await bed.createStream('module-test-1');
    const put = await bed.put(stream, 300);
    const processor = new RecordingProcessor();
    const url = await startApp(stream, processor);

    await waitFor(() => processor.acknowledgedCount() === 300, 10_000, 'all records');
    for (const [shardId, seqs] of put) expect(processor.acknowledgedOf(shardId)).toEqual(seqs);

    const health = await (await fetch(`${url}/health`)).json();
    expect(health.status).toBe('ok');
    expect(Object.keys(health.checks)).toEqual(
      expect.arrayContaining(['stream-consumer', `kinesis:${stream}`, 'dynamodb:stream-writer-leases']),
    );
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/stream_consumer_leases_held\{app="stream-writer"\} 4/);
    const consumed = [...metrics.matchAll(/stream_consumer_records_total\{shard="[^"]+",app="stream-writer"\} (\d+)/g)];
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

  it('refuses to start without a RecordProcessor, naming the missing token', async () => {
    const config = loadConfig(StreamWriterConfigSchema, { AWS_ENDPOINT_URL: stack.endpoint, LOG_LEVEL: 'silent' });
    // The app's own modules minus the RoutingModule that normally provides the processor.
    const withoutRouting = [AppConfigModule.forRoot(config), ObservabilityModule.forRoot({ app: 'stream-writer', logLevel: 'silent' }), ConsumerModule];
    const moduleRef = await Test.createTestingModule({ imports: withoutRouting }).compile();
    const bare = moduleRef.createNestApplication({ logger: false });
    await expect(bare.init()).rejects.toThrow(/RECORD_PROCESSOR/);
    await bare.close();
  });
});
