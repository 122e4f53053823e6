import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { SageMakerFeatureStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ASSET_HEALTH_FEATURE_GROUP, LINE_HEALTH_FEATURE_GROUP } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { MetricsRegistry } from '@plant/observability';
import { FeatureSink } from '../src/routing/feature-sink';
import { Router } from '../src/routing/router';
import { SinkMetrics } from '../src/routing/sink-metrics';
import { classifySinkFailure, SinkWriteError } from '../src/routing/sink-failure';
import { encodeEvent, generatePlantEvents, toShardRecords } from './support/plant-event-generator';
import { provisionRoutingExtras, realSinks } from './support/routing-harness';

jest.setTimeout(120_000);

describe('Router feature sink against the local Feature Store', () => {
  let stack: LocalAwsStack;
  let adapters: ReturnType<typeof realSinks>;
  let featureClient: SageMakerFeatureStoreRuntimeClient;
  const calls: string[] = [];
  let store: SageMakerFeatureStore;
  let router: Router;

  const events = generatePlantEvents({ eventsPerAsset: 40, startMs: Date.now() - 10 * 60_000, stepMs: 5_000 });
  const byShard = toShardRecords(events.map(encodeEvent));
  const assetIds = [...new Set(events.map((e) => e.assetId))];
  const lineIds = [...new Set(events.map((e) => e.lineId))];

  const processAll = () =>
    Promise.all([...byShard].map(async ([shardId, records]) => {
      for (let i = 0; i < records.length; i += 50) await router.process(shardId, records.slice(i, i + 50));
    }));

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0, firehoseBuffering: { maxIntervalMs: 200 } });
    const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
    await provisionRoutingExtras(connection);
    adapters = realSinks(connection);
    featureClient = createClient(SageMakerFeatureStoreRuntimeClient, connection);
    store = new SageMakerFeatureStore(featureClient, { onCall: (op) => calls.push(op) });
    router = new Router({ ...adapters.sinks, features: new FeatureSink(store) }, { metrics: new SinkMetrics(new MetricsRegistry()) });
    await processAll();
  });
  afterAll(async () => {
    adapters.destroy();
    featureClient.destroy();
    await stack.stop();
  });

  it('writes an asset-health record of every asset and a line-health record of every line', async () => {
    const assets = await store.batchGetRecords(ASSET_HEALTH_FEATURE_GROUP.name, assetIds);
    expect([...assets.keys()].sort()).toEqual([...assetIds].sort());
    const newest = (assetId: string) => events.filter((e) => e.assetId === assetId).map((e) => e.eventTime).sort().pop();
    for (const [id, record] of assets) {
      expect(record.values.event_time <= newest(id)!).toBe(true);
      expect(Number(record.values.cycles_60m)).toBeGreaterThanOrEqual(0);
      expect(Number(record.values.oee_15m)).toBeGreaterThanOrEqual(0);
    }
    const lines = await store.batchGetRecords(LINE_HEALTH_FEATURE_GROUP.name, lineIds);
    expect([...lines.keys()].sort()).toEqual([...lineIds].sort());
    const cycles = (lineId: string) =>
      events.filter((e) => e.lineId === lineId && e.kind === 'production').reduce((n, e) => n + (e.kind === 'production' ? e.goodCount + e.scrapCount : 0), 0);
    for (const [id, record] of lines) expect(Number(record.values.cycles_60m)).toBe(cycles(id));
  });

  it('writes nothing when the same batches are replayed', async () => {
    calls.splice(0);
    await processAll();
    expect(calls.filter((c) => c === 'PutRecord')).toEqual([]);
  });

  it('fails the batch as a retryable feature-store write when the Feature Store is unreachable', async () => {
    const down = createClient(SageMakerFeatureStoreRuntimeClient, { region: 'eu-central-1', endpoint: 'http://127.0.0.1:1' });
    const failing = new Router({ ...adapters.sinks, features: new FeatureSink(new SageMakerFeatureStore(down)) });
    const [shardId, records] = [...byShard][0];
    const failure = await failing.process(shardId, records.slice(0, 20)).catch((e: unknown) => e);
    down.destroy();
    expect(failure).toBeInstanceOf(SinkWriteError);
    expect((failure as SinkWriteError).sink).toBe('feature-store');
    expect(classifySinkFailure(failure)).toBe('transient');
  });
});
