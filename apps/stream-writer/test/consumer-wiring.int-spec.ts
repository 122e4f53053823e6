import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig, ResourceNames } from '@plant/config';
import { type LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { type ConsumedRecord, RECORD_PROCESSOR, type RecordProcessor } from '@plant/stream-consumer';
import { ConsumerTestBed, total, waitFor } from '@plant/stream-consumer/testing';
import { StreamWriterModule } from '../src/app.module';
import { StreamWriterConfigSchema } from '../src/config';

/** Collects what the consumer hands over, in place of the router (whose sinks are tested elsewhere). */
class CollectingProcessor implements RecordProcessor {
  readonly records: ConsumedRecord[] = [];
  async process(_shardId: string, records: readonly ConsumedRecord[]): Promise<void> {
    this.records.push(...records);
  }
}

describe('stream-writer wiring of the stream consumer', () => {
  let stack: LocalAwsStack;
  let bed: ConsumerTestBed;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    bed = new ConsumerTestBed(stack);
  });
  afterAll(async () => {
    await app?.close();
    bed.destroy();
    await stack.stop();
  });

  it('reads PLANT_EVENTS_STREAM with the leases in LEASE_TABLE and hands every record to the RECORD_PROCESSOR', async () => {
    const stream = await bed.createStream('wiring-test', 2);
    const put = await bed.put(stream, 120, 'w');

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

    await waitFor(() => processor.records.length >= total(put), 10_000, 'every record');
    for (const [shardId, sequenceNumbers] of put) {
      expect(processor.records.filter((r) => r.shardId === shardId).map((r) => r.sequenceNumber)).toEqual(sequenceNumbers);
    }
    const health = await (await fetch(`${url}/health`)).json();
    expect(Object.keys(health.checks)).toEqual(
      expect.arrayContaining(['stream-consumer', `kinesis:${stream}`, `dynamodb:${ResourceNames.leaseTable}`]),
    );
  });
});
