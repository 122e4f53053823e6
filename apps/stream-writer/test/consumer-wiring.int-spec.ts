import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import { loadConfig, ResourceNames } from '@plant/config';
import { type LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { type ConsumedRecord, RECORD_PROCESSOR, type RecordProcessor } from '@plant/stream-consumer';
import { StreamWriterModule } from '../src/app.module';
import { StreamWriterConfigSchema } from '../src/config';
import { putAll } from './support/stream-io';

/** Collects what the consumer hands over, in place of the router (whose sinks are tested elsewhere). */
class CollectingProcessor implements RecordProcessor {
  readonly records: ConsumedRecord[] = [];
  async process(_shardId: string, records: readonly ConsumedRecord[]): Promise<void> {
    this.records.push(...records);
  }
}

describe('stream-writer wiring of the stream consumer', () => {
  let stack: LocalAwsStack;
  let kinesis: KinesisClient;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    kinesis = createClient(KinesisClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  });
  afterAll(async () => {
    await app?.close();
    kinesis.destroy();
    await stack.stop();
  });

  it('reads PLANT_EVENTS_STREAM with the leases in LEASE_TABLE and hands every record to the RECORD_PROCESSOR', async () => {
    const stream = 'wiring-test';
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
    const payloads = Array.from({ length: 120 }, (_, i) => ({ partitionKey: `asset-${i % 7}`, data: Buffer.from(`w-${i}`) }));
    await putAll(kinesis, stream, payloads);

    const config = loadConfig(StreamWriterConfigSchema, {
      AWS_ENDPOINT_URL: stack.endpoint,
      PLANT_EVENTS_STREAM: stream,
      LOG_LEVEL: 'warn',
      STREAM_CONSUMER_WORKER_ID: 'app-worker',
      STREAM_CONSUMER_LEASE_DURATION_MS: '1000',
      STREAM_CONSUMER_POLL_INTERVAL_MS: '50',
    });
    const processor = new CollectingProcessor();
    const moduleRef = await Test.createTestingModule({ imports: [StreamWriterModule.forRoot(config)] })
      .overrideProvider(RECORD_PROCESSOR)
      .useValue(processor)
      .compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${app.getHttpServer().address().port}`;

    const deadline = Date.now() + 10_000;
    while (processor.records.length < payloads.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(processor.records.map((r) => Buffer.from(r.data).toString()).sort()).toEqual(payloads.map((p) => p.data.toString()).sort());
    const health = await (await fetch(`${url}/health`)).json();
    expect(Object.keys(health.checks)).toEqual(
      expect.arrayContaining(['stream-consumer', `kinesis:${stream}`, `dynamodb:${ResourceNames.leaseTable}`]),
    );
  });
});
