import { TimestreamTrendStore } from '@plant/adapters';
import { ResourceNames } from '@plant/config';
import type { DeadLetter, TrendStore } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { Router } from '../src/routing/router';
import { encodeEvent, generatePlantEvents, toShardRecords } from './support/plant-event-generator';
import { lakeLines, provisionRoutingExtras, realSinks } from './support/routing-harness';

jest.setTimeout(120_000);

describe('Router retries: raw events and dead letters are not sent again (local stack)', () => {
  let stack: LocalAwsStack;
  let adapters: ReturnType<typeof realSinks>;

  beforeEach(async () => {
    stack = await startLocalAws({ port: 0, firehoseBuffering: { maxIntervalMs: 200 } });
    const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
    await provisionRoutingExtras(connection);
    adapters = realSinks(connection);
  });
  afterEach(async () => {
    adapters.destroy();
    await stack.stop();
  });

  it('a batch that failed three times on Timestream and then succeeded leaves each raw event and dead letter once in the lake', async () => {
    const events = generatePlantEvents({ eventsPerAsset: 20, startMs: Date.now() - 5 * 60_000 });
    const malformed = Array.from({ length: 25 }, (_, i) => ({ partitionKey: `bad-${i}`, data: Buffer.from(`{"kind":"production","n":${i}`) }));
    const byShard = toShardRecords([...events.map(encodeEvent), ...malformed], 1);
    const [[shardId, records]] = [...byShard];

    // The real Timestream adapter, first against a table that does not exist (the backend refuses every write), then the real one.
    const missing = new TimestreamTrendStore(adapters.clients.timestream, { databaseName: ResourceNames.timestreamDatabase, tableName: 'not-created-yet' });
    let failuresLeft = 3;
    const trendStore: TrendStore = { write: (points) => (failuresLeft-- > 0 ? missing : adapters.sinks.trendStore).write(points) };
    const router = new Router({ ...adapters.sinks, trendStore });

    for (let attempt = 1; attempt <= 3; attempt++) {
      const failure = await router.process(shardId, records).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(String(failure)).toMatch(/trend-store: .*not-created-yet/);
      expect(router.classifyFailure(failure)).toBe('transient');
    }
    await router.process(shardId, records);

    const raw = (await lakeLines(stack, 'raw')).map((l) => JSON.parse(l) as { eventId: string });
    expect(raw).toHaveLength(events.length);
    expect(new Set(raw.map((e) => e.eventId)).size).toBe(events.length);
    const letters = (await lakeLines(stack, 'dlq')).map((l) => JSON.parse(l) as DeadLetter);
    expect(letters).toHaveLength(malformed.length);
    expect(new Set(letters.map((l) => l.sequenceNumber)).size).toBe(malformed.length);
    expect(router.acknowledged.size).toBe(0);
  });

  it('after a crash (a new router process) the raw events are sent again: the documented duplicates', async () => {
    const events = generatePlantEvents({ eventsPerAsset: 5, startMs: Date.now() - 60_000 });
    const [[shardId, records]] = [...toShardRecords(events.map(encodeEvent), 1)];
    const missing = new TimestreamTrendStore(adapters.clients.timestream, { databaseName: ResourceNames.timestreamDatabase, tableName: 'not-created-yet' });
    await expect(new Router({ ...adapters.sinks, trendStore: missing }).process(shardId, records)).rejects.toThrow('trend-store');
    await new Router(adapters.sinks).process(shardId, records);

    const raw = (await lakeLines(stack, 'raw')).map((l) => JSON.parse(l) as { eventId: string });
    expect(raw).toHaveLength(2 * events.length);
    expect(new Set(raw.map((e) => e.eventId)).size).toBe(events.length);
  });
});
