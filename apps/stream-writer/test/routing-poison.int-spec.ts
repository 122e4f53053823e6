import { DynamoDbKpiWindowStore } from '@plant/adapters';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import { AwsLimits, ResourceNames } from '@plant/config';
import { DEFAULT_EVENT_TIME_BOUNDS, PlantEvent } from '@plant/contracts';
import type { DeadLetter } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { Router } from '../src/routing/router';
import { encodeEvent, generatePlantEvents } from './support/plant-event-generator';
import { expectedFromScratch, kpiMismatches, lakeLines, provisionRoutingExtras, realSinks, timestreamCount } from './support/routing-harness';
import { putAll, readAll } from './support/stream-io';

jest.setTimeout(180_000);

/**
 * The poison inputs of issue 9 in the middle of normal traffic, through the local Kinesis (real
 * arrival times: the ingest time of the event-time rule) and the real router and sinks: each ends applied by a stated rule or dead-lettered with its reason, every
 * batch is acknowledged (the shard keeps moving), and every KPI equals a from-scratch computation
 * over the records that the rules accept.
 */
describe('Router: poison records (local stack)', () => {
  let stack: LocalAwsStack;
  let adapters: ReturnType<typeof realSinks>;
  let kpiWindows: DynamoDbKpiWindowStore;
  const connection = () => ({ region: 'eu-central-1', endpoint: stack.endpoint });

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0, firehoseBuffering: { maxIntervalMs: 200 } });
    await provisionRoutingExtras(connection());
    adapters = realSinks(connection());
    kpiWindows = new DynamoDbKpiWindowStore(adapters.clients.dynamodb, { tableName: ResourceNames.kpiTable });
  });
  afterAll(async () => {
    adapters.destroy();
    await stack.stop();
  });

  it('absurd event times, a 1 MB invalid schemaVersion and a 1 MiB valid event: rules applied, shards move, other figures exact', async () => {
    const events = generatePlantEvents({ eventsPerAsset: 40, startMs: Date.now() - 5 * 60_000, stepMs: 5_000 });
    const assetEvent = (kind: PlantEvent['kind'], assetIndex: number) => events.find((e) => e.kind === kind && e.assetId === events[assetIndex].assetId)!;
    const withTime = (e: PlantEvent, eventTime: string, tag: string): PlantEvent => ({ ...e, eventId: `poison-${tag}`, eventTime });

    const absurd = [
      withTime(assetEvent('production', 0), '2200-01-01T00:00:00.000Z', '2200'),
      withTime(assetEvent('measurement', 1), '0001-01-01T00:00:00.000Z', '0001'),
      withTime(assetEvent('measurement', 2), '2999-06-30T12:00:00.000Z', '2999'),
      withTime(assetEvent('machine-state', 3), '9999-12-31T23:59:59.999Z', '9999'),
    ];
    const invalidShell = JSON.stringify({ ...events[4], schemaVersion: '' });
    const invalidHuge = Buffer.from(JSON.stringify({ ...events[4], schemaVersion: 'v'.repeat(1_000_000 - invalidShell.length) }));
    const measurement = assetEvent('measurement', 5);
    // Its own time: Timestream would store an identical copy of another point once.
    const bigEvent = { ...measurement, eventId: 'big-valid', eventTime: new Date(Date.parse(measurement.eventTime) + 1).toISOString() };
    const bigShell = JSON.stringify({ ...bigEvent, padding: '' });
    const bigSize = AwsLimits.firehose.recordMaxBytes + 16_001; // 1,040,001 bytes: within Kinesis, above Firehose
    const bigValid = Buffer.from(JSON.stringify({ ...bigEvent, padding: 'p'.repeat(bigSize - bigShell.length) }));

    const half = Math.floor(events.length / 2);
    const payloads = [
      ...events.slice(0, half).map(encodeEvent),
      ...absurd.map(encodeEvent),
      { partitionKey: events[4].assetId, data: invalidHuge },
      { partitionKey: bigEvent.assetId, data: bigValid },
      ...events.slice(half).map(encodeEvent),
    ];
    const kinesis = createClient(KinesisClient, connection());
    await putAll(kinesis, ResourceNames.plantEventsStream, payloads);
    const byShard = await readAll(kinesis, ResourceNames.plantEventsStream);
    kinesis.destroy();
    expect([...byShard.values()].flat().every((r) => r.approximateArrivalTimestamp)).toBe(true);
    const expected = expectedFromScratch(byShard);
    expect(expected).toMatchObject({ malformed: 1, outOfBounds: 4, valid: events.length + 1 });

    // Every batch resolves: no record holds its shard.
    const router = new Router(adapters.sinks);
    for (const [shardId, records] of byShard) {
      for (let i = 0; i < records.length; i += 50) await router.process(shardId, records.slice(i, i + 50));
    }

    // Every KPI (all assets, lines and plants, the poisoned assets included) equals the computation without the refused records.
    expect(await kpiMismatches(kpiWindows, expected.kpiDeltas)).toEqual([]);
    const states = await adapters.sinks.assetStates.loadAssetStates(absurd.map((e) => e.assetId));
    for (const state of states.values()) expect(state!.accountedUntilMs!).toBeLessThanOrEqual(Date.now() + DEFAULT_EVENT_TIME_BOUNDS.futureToleranceMs);

    const letters = (await lakeLines(stack, 'dlq')).map((l) => JSON.parse(l) as DeadLetter & { dataTruncated?: boolean; originalBytes?: number });
    expect(letters).toHaveLength(5);
    const timeLetters = letters.filter((l) => l.stage === 'event-time');
    expect(timeLetters.map((l) => JSON.parse(Buffer.from(l.dataBase64, 'base64').toString()).eventId).sort()).toEqual(absurd.map((e) => e.eventId).sort());
    for (const l of timeLetters) expect(l.reason).toMatch(/^eventTime (2200|0001|2999|9999)-\S+ is \d+ d (after|before) the ingest time /);
    const [decodeLetter] = letters.filter((l) => l.stage === 'decode');
    expect(decodeLetter.reason).toMatch(/^unknown schemaVersion "v+… \(this consumer reads 1\)$/);
    expect(decodeLetter).toMatchObject({ dataTruncated: true, originalBytes: invalidHuge.length });
    expect(Buffer.from(decodeLetter.dataBase64, 'base64').equals(invalidHuge.subarray(0, Buffer.from(decodeLetter.dataBase64, 'base64').length))).toBe(true);

    // Raw zone: every accepted event once; the oversized one as its contract fields, marked.
    const raw = (await lakeLines(stack, 'raw')).map((l) => JSON.parse(l) as PlantEvent & { rawOriginalBytes?: number });
    expect(raw.map((e) => e.eventId).sort()).toEqual([...events.map((e) => e.eventId), 'big-valid'].sort());
    expect(raw.find((e) => e.eventId === 'big-valid')).toEqual({ ...bigEvent, rawOriginalBytes: bigValid.length });

    // Trend store: one point per accepted measurement/production/state event, none refused.
    expect(await timestreamCount(connection())).toBe(expected.trendPoints);
  });
});
