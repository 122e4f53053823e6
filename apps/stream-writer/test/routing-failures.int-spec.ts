import { DynamoDbKpiWindowStore, FirehoseRawEventSink } from '@plant/adapters';
import { ResourceNames } from '@plant/config';
import type { AssetStateStore, DeadLetter } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { Router } from '../src/routing/router';
import { encodeEvent, generatePlantEvents, toShardRecords } from './support/plant-event-generator';
import { expectedFromScratch, kpiMismatches, lakeLines, provisionRoutingExtras, realSinks } from './support/routing-harness';

jest.setTimeout(180_000);

describe('Router failure handling (local stack)', () => {
  let stack: LocalAwsStack;
  let adapters: ReturnType<typeof realSinks>;
  let kpiWindows: DynamoDbKpiWindowStore;

  beforeEach(async () => {
    stack = await startLocalAws({ port: 0, firehoseBuffering: { maxIntervalMs: 200 } });
    const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
    await provisionRoutingExtras(connection);
    adapters = realSinks(connection);
    kpiWindows = new DynamoDbKpiWindowStore(adapters.clients.dynamodb, { tableName: ResourceNames.kpiTable });
  });
  afterEach(async () => {
    adapters.destroy();
    await stack.stop();
  });

  it('10,000 malformed records all land in the dead letters with a reason; the router keeps routing', async () => {
    const garbage = Array.from({ length: 10_000 }, (_, i) => ({
      partitionKey: `p-${i % 7}`,
      data: Buffer.from(i % 3 === 0 ? `{"kind":"production","n":${i}` : i % 3 === 1 ? JSON.stringify({ schemaVersion: 1, kind: 'production', goodCount: -i }) : `\u00ff${i}`, 'latin1'),
    }));
    const byShard = toShardRecords(garbage);
    const router = new Router(adapters.sinks);
    for (const [shardId, records] of byShard) await router.process(shardId, records);

    const letters = (await lakeLines(stack, 'dlq')).map((l) => JSON.parse(l) as DeadLetter);
    expect(letters).toHaveLength(10_000);
    expect(letters.every((d) => d.reason.length > 0 && d.stage === 'decode')).toBe(true);
    const originals = new Set(garbage.map((g) => Buffer.from(g.data).toString('base64')));
    expect(letters.every((d) => originals.has(d.dataBase64))).toBe(true);

    const valid = toShardRecords(generatePlantEvents({ eventsPerAsset: 5, startMs: Date.now() - 60_000 }).map(encodeEvent));
    for (const [shardId, records] of valid) await router.process(shardId, records);
    expect(await kpiMismatches(kpiWindows, expectedFromScratch(valid).kpiDeltas)).toEqual([]);
  });

  it('a failing sink rejects the batch and keeps the old asset state; the retry after the fix gives exact KPIs', async () => {
    const byShard = toShardRecords(generatePlantEvents({ eventsPerAsset: 20, startMs: Date.now() - 5 * 60_000 }).map(encodeEvent));
    const broken = new Router({ ...adapters.sinks, rawEvents: new FirehoseRawEventSink(adapters.clients.firehose, { deliveryStreamName: 'no-such-stream' }) });
    const [shardId, records] = [...byShard][0];
    await expect(broken.process(shardId, records)).rejects.toThrow(/no-such-stream|not found/i);
    const assetId = JSON.parse(Buffer.from(records[0].data).toString()).assetId;
    expect((await adapters.sinks.assetStates.loadAssetStates([assetId])).get(assetId)).toBeUndefined();

    const fixed = new Router(adapters.sinks);
    for (const [id, batch] of byShard) await fixed.process(id, batch);
    expect(await kpiMismatches(kpiWindows, expectedFromScratch(byShard).kpiDeltas)).toEqual([]);
  });

  it('a crash after the KPI writes but before the state write, then a longer redelivery: KPIs exact (partly applied items recomputed)', async () => {
    const byShard = toShardRecords(generatePlantEvents({ eventsPerAsset: 30, startMs: Date.now() - 5 * 60_000 }).map(encodeEvent));
    const crashing: AssetStateStore = Object.assign(Object.create(Object.getPrototypeOf(adapters.sinks.assetStates)), adapters.sinks.assetStates, {
      saveAssetStates: () => Promise.reject(new Error('process killed before the state write')),
    });
    const beforeCrash = new Router({ ...adapters.sinks, assetStates: crashing });
    for (const [shardId, records] of byShard) await expect(beforeCrash.process(shardId, records.slice(0, Math.floor(records.length / 2)))).rejects.toThrow('killed');

    const restarted = new Router(adapters.sinks);
    for (const [shardId, records] of byShard) await restarted.process(shardId, records);
    expect(await kpiMismatches(kpiWindows, expectedFromScratch(byShard).kpiDeltas)).toEqual([]);
  });
});
