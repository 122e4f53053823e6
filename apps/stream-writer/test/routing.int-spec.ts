import { DynamoDbAlertStore, DynamoDbKpiWindowStore, KinesisChangeFeedReader } from '@plant/adapters';
import { ResourceNames } from '@plant/config';
import type { ChangeFeedMessage, DeadLetter } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { MetricsRegistry } from '@plant/observability';
import { Router } from '../src/routing/router';
import { SinkMetrics } from '../src/routing/sink-metrics';
import { encodeEvent, generatePlantEvents, toShardRecords } from './support/plant-event-generator';
import {
  alertDeliveries,
  expectedFromScratch,
  kpiMismatches,
  lakeLines,
  provisionRoutingExtras,
  realSinks,
  timestreamCount,
} from './support/routing-harness';

jest.setTimeout(120_000);

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Router against the local AWS stack', () => {
  let stack: LocalAwsStack;
  let adapters: ReturnType<typeof realSinks>;
  let kpiWindows: DynamoDbKpiWindowStore;
  let alerts: DynamoDbAlertStore;
  const connection = () => ({ region: 'eu-central-1', endpoint: stack.endpoint });

  const startMs = Date.now() - 10 * 60_000;
  const events = generatePlantEvents({ eventsPerAsset: 60, startMs, stepMs: 5_000 });
  const malformed = ['{not json', JSON.stringify({ schemaVersion: 99 }), JSON.stringify({ ...events[0], goodCount: -1, kind: 'production' })];
  const payloads = [...events.map(encodeEvent), ...malformed.map((m, i) => ({ partitionKey: `bad-${i}`, data: Buffer.from(m) }))];
  const byShard = toShardRecords(payloads);
  const expected = expectedFromScratch(byShard);

  /** Each shard's records in batches of `size`, shards processed concurrently like the consumer does. */
  async function processAll(router: Router, size: number) {
    await Promise.all(
      [...byShard].map(async ([shardId, records]) => {
        for (let i = 0; i < records.length; i += size) await router.process(shardId, records.slice(i, i + size));
      }),
    );
  }

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0, firehoseBuffering: { maxIntervalMs: 200 } });
    await provisionRoutingExtras(connection());
    adapters = realSinks(connection());
    kpiWindows = new DynamoDbKpiWindowStore(adapters.clients.dynamodb, { tableName: ResourceNames.kpiTable });
    alerts = new DynamoDbAlertStore(adapters.clients.dynamodb, { tableName: ResourceNames.kpiTable });
  });
  afterAll(async () => {
    adapters.destroy();
    await stack.stop();
  });

  it('routes N events to every sink with exact counts, malformed records to the dead letters', async () => {
    const feed: ChangeFeedMessage[] = [];
    const stopFeed = await new KinesisChangeFeedReader(adapters.clients.kinesis, { streamName: ResourceNames.changeFeedStream, idlePollMs: 20 }).start((m) => feed.push(m));
    const metrics = new MetricsRegistry();
    const router = new Router(adapters.sinks, { metrics: new SinkMetrics(metrics) });
    await processAll(router, 97);

    expect(expected.valid).toBe(events.length);
    expect(await kpiMismatches(kpiWindows, expected.kpiDeltas)).toEqual([]);
    expect(await lakeLines(stack, 'raw')).toHaveLength(events.length);
    expect(await timestreamCount(connection())).toBe(expected.trendPoints);

    const deadLetters = (await lakeLines(stack, 'dlq')).map((l) => JSON.parse(l) as DeadLetter);
    expect(deadLetters.map((d) => Buffer.from(d.dataBase64, 'base64').toString()).sort()).toEqual([...malformed].sort());
    expect(deadLetters.every((d) => d.stage === 'decode' && d.reason.length > 0)).toBe(true);

    expect(expected.alertChanges.length).toBeGreaterThan(10);
    await until(async () => (await alertDeliveries(stack)).length >= expected.alertChanges.length);
    const delivered = await alertDeliveries(stack);
    expect(delivered.map((d) => `${d.input.detail.alertId}:${d.input.detail.status}`).sort()).toEqual(
      expected.alertChanges.map((a) => `${a.alertId}:${a.status}`).sort(),
    );
    const openAlerts = expected.alertChanges.filter((a) => a.status === 'open');
    const stored = await Promise.all(openAlerts.map((a) => alerts.getAlert(a.alertId)));
    expect(stored.every((a) => a !== undefined)).toBe(true);

    await until(() => feed.filter((m) => m.type === 'alert-changed').length >= expected.alertChanges.length);
    await stopFeed();
    expect(feed.filter((m) => m.type === 'alert-changed')).toHaveLength(expected.alertChanges.length);
    expect(feed.some((m) => m.type === 'kpi-updated' && m.kpi.scope === 'plant')).toBe(true);

    const recorded = await metrics.registry.getSingleMetric('stream_writer_sink_records_total')!.get();
    const rawCount = recorded.values.find((v) => v.labels.sink === 'raw-events')?.value;
    expect(rawCount).toBe(events.length);
  });

  it('a replay of the same batches by a restarted router changes no KPI, trend or alert', async () => {
    const alertsBefore = await alerts.listAlerts({}, { first: 1_000 });
    const fresh = realSinks(connection());
    await processAll(new Router(fresh.sinks), 50);
    fresh.destroy();
    expect(await kpiMismatches(kpiWindows, expected.kpiDeltas)).toEqual([]);
    expect(await timestreamCount(connection())).toBe(expected.trendPoints);
    expect(await alerts.listAlerts({}, { first: 1_000 })).toEqual(alertsBefore);
    // The raw zone is at-least-once: a replay may add copies, never lose an event.
    expect(new Set((await lakeLines(stack, 'raw')).map((l) => JSON.parse(l).eventId)).size).toBe(events.length);
  });
});
