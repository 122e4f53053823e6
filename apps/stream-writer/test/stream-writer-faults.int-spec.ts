import { CreateTableCommand } from '@aws-sdk/client-timestream-write';
import { DynamoDbKpiWindowStore, TimestreamTrendStore } from '@plant/adapters';
import { ResourceNames } from '@plant/config';
import type { DeadLetter } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { Router } from '../src/routing/router';
import { ConsumerTestBed, waitFor } from '@plant/stream-consumer/testing';
import { encodeEvent, generatePlantEvents } from './support/plant-event-generator';
import { expectedFromScratch, kpiMismatches, lakeLines, provisionRoutingExtras, realSinks } from './support/routing-harness';
import { putAll, readAll } from './support/stream-io';

jest.setTimeout(120_000);

/**
 * The consumer and the real router against the local stack, with a backend fault that no record
 * causes: the Timestream table the router writes to does not exist yet. The shard must wait (never
 * dead-letter, never bisect), `/health` must say why, and once the table exists every record is
 * applied once: no raw event sent again by the retries, KPIs exact.
 */
describe('consumer + router: a backend fault is waited out, never dead-lettered (local stack)', () => {
  let stack: LocalAwsStack;
  let bed: ConsumerTestBed;
  let adapters: ReturnType<typeof realSinks>;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0, firehoseBuffering: { maxIntervalMs: 200 } });
    const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
    await provisionRoutingExtras(connection);
    adapters = realSinks(connection);
    bed = new ConsumerTestBed(stack);
  });
  afterAll(async () => {
    await bed.stopWorkers();
    bed.destroy();
    adapters.destroy();
    await stack.stop();
  });

  it('retries while the Timestream table is missing, reports the shard in /health, then applies everything once', async () => {
    const stream = await bed.createStream('faults-1', 1);
    const events = generatePlantEvents({ eventsPerAsset: 20, startMs: Date.now() - 5 * 60_000 });
    const malformed = Array.from({ length: 10 }, (_, i) => ({ partitionKey: `bad-${i}`, data: Buffer.from(`not json ${i}`) }));
    await putAll(bed.kinesis, stream, [...events.map(encodeEvent), ...malformed]);

    const table = 'created-later';
    const trendStore = new TimestreamTrendStore(adapters.clients.timestream, { databaseName: ResourceNames.timestreamDatabase, tableName: table });
    const router = new Router({ ...adapters.sinks, trendStore });
    const settings = { maxAttempts: 2, retryBaseMs: 50, maxRetryDelayMs: 200, maxRecordsPerGet: 1_000 };
    const worker = bed.worker(stream, 'w1', router, settings);
    await worker.start();

    const unready = async () => worker.healthCheck().check().then(() => undefined, (err: Error) => err.message);
    await waitFor(async () => (await unready()) !== undefined, 20_000, 'the shard reported in /health');
    expect(await unready()).toMatch(/shard shardId-000000000000 retrying for .* 210 records pending; last failure \(transient\): .*trend-store: The table created-later does not exist/);
    // Several attempts later: nothing dead-lettered or isolated, and the raw events were sent once.
    await waitFor(() => worker.shardStatuses()[0]?.failures >= 5, 20_000, 'five failed attempts');
    expect(worker.shardStatuses()[0].flow).toBe('retrying');
    expect((await lakeLines(stack, 'raw')).length).toBe(events.length);
    expect((await lakeLines(stack, 'dlq')).length).toBe(malformed.length);

    await adapters.clients.timestream.send(
      new CreateTableCommand({
        DatabaseName: ResourceNames.timestreamDatabase,
        TableName: table,
        RetentionProperties: { MemoryStoreRetentionPeriodInHours: 24, MagneticStoreRetentionPeriodInDays: 365 },
      }),
    );
    const byShard = await readAll(bed.kinesis, stream);
    const last = byShard.get('shardId-000000000000')!.at(-1)!.sequenceNumber;
    await waitFor(async () => (await bed.leases(stream)).get('shardId-000000000000')?.checkpoint === last, 30_000, 'checkpoint at the end');
    await waitFor(async () => (await unready()) === undefined, 5_000, '/health ready again');

    const raw = (await lakeLines(stack, 'raw')).map((l) => JSON.parse(l) as { eventId: string });
    expect(raw).toHaveLength(events.length);
    expect(new Set(raw.map((e) => e.eventId)).size).toBe(events.length);
    const letters = (await lakeLines(stack, 'dlq')).map((l) => JSON.parse(l) as DeadLetter);
    expect(letters.map((l) => l.stage)).toEqual(malformed.map(() => 'decode'));
    const kpiWindows = new DynamoDbKpiWindowStore(adapters.clients.dynamodb, { tableName: ResourceNames.kpiTable });
    expect(await kpiMismatches(kpiWindows, expectedFromScratch(byShard).kpiDeltas)).toEqual([]);
  });
});
