import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createClient as createWsClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { DynamoDbAssetStateStore, KinesisChangeFeedPublisher } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ChangeFeedMessage, initialAssetState, KpiSnapshot } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { internalIdentity } from '../../../test/support/auth-tokens';
import { alertOf, LINE, PLANT } from './support/kpi-fixtures';
import { RunningSubgraph, startSubgraph } from './support/kpi-subgraph.harness';

let stack: LocalAwsStack;
let subgraph: RunningSubgraph;
let kinesis: KinesisClient;
let publisher: KinesisChangeFeedPublisher;
let client: Client;

beforeAll(async () => {
  stack = await startLocalAws({ port: 0 });
  subgraph = await startSubgraph(stack.endpoint);
  kinesis = createClient(KinesisClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  publisher = new KinesisChangeFeedPublisher(kinesis, { streamName: subgraph.config.CHANGE_FEED_STREAM });
  client = createWsClient({ url: subgraph.wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: () => internalIdentity() });
});

afterAll(async () => {
  await client?.dispose();
  await subgraph?.close();
  kinesis?.destroy();
  await stack?.stop();
});

function kpiMessage(scope: KpiSnapshot['scope'], scopeId: string, goodCount: number): ChangeFeedMessage {
  const hierarchy =
    scope === 'asset'
      ? { enterpriseId: 'acme', plantId: PLANT, lineId: LINE, assetId: scopeId }
      : scope === 'line'
        ? { enterpriseId: 'acme', plantId: PLANT, lineId: scopeId }
        : { enterpriseId: 'acme', plantId: scopeId };
  return {
    version: 1,
    type: 'kpi-updated',
    kpi: {
      scope,
      scopeId,
      hierarchy,
      window: '15m',
      windowStart: '2026-03-02T08:00:00.000Z',
      windowEnd: '2026-03-02T08:15:00.000Z',
      figures: {
        availability: 0.9, performance: 0.8, quality: 0.95, oee: 0.684, goodCount, scrapCount: 5,
        throughputPerHour: 120, runSeconds: 540, downtimeSeconds: 60, downtimeByReason: [{ reasonCode: 'jam', seconds: 60 }],
      },
      lastEventTime: '2026-03-02T08:07:00.000Z',
      updatedAt: '2026-03-02T08:07:01.000Z',
    },
  };
}

/** Subscribes and collects results; `ready` resolves after the server acknowledged the subscription. */
function subscribe(query: string, variables: Record<string, unknown> = {}) {
  const results: any[] = [];
  const waiters: (() => void)[] = [];
  let completed = false;
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        results.push(value);
        waiters.splice(0).forEach((w) => w());
      },
      error: (err) => {
        results.push({ transportError: err });
        waiters.splice(0).forEach((w) => w());
      },
      complete: () => {
        completed = true;
        waiters.splice(0).forEach((w) => w());
      },
    },
  );
  const waitFor = async (count: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (results.length < count && !completed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return results;
  };
  return { results, waitFor, unsubscribe, isCompleted: () => completed };
}

/** graphql-ws has no "subscribed" ack: give the server a moment to register the PubSub listener. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('kpiUpdated', () => {
  it('delivers a KPI change published to the plant-changes Kinesis stream, only for the subscribed asset', async () => {
    const sub = subscribe(
      'subscription ($id: ID!) { kpiUpdated(assetId: $id) { scope scopeId window goodCount oee downtimeByReason { reasonCode seconds } asset { id lineId } } }',
      { id: 'asset-live-1' },
    );
    await settle();
    const started = performance.now();
    await publisher.publish([kpiMessage('asset', 'asset-live-2', 1), kpiMessage('line', 'asset-live-1', 2), kpiMessage('asset', 'asset-live-1', 42)]);
    const [first] = await sub.waitFor(1);
    const latencyMs = performance.now() - started;
    expect(first).toEqual({
      data: {
        kpiUpdated: {
          scope: 'ASSET',
          scopeId: 'asset-live-1',
          window: 'FIFTEEN_MINUTES',
          goodCount: 42,
          oee: 0.684,
          downtimeByReason: [{ reasonCode: 'jam', seconds: 60 }],
          asset: { id: 'asset-live-1', lineId: LINE },
        },
      },
    });
    await settle();
    expect(sub.results).toHaveLength(1);
    sub.unsubscribe();
    console.log(JSON.stringify({ kpiUpdatedPublishToClientMs: Math.round(latencyMs) }));
  });

  it('follows a line and narrows to one window', async () => {
    const sub = subscribe(`subscription { kpiUpdated(lineId: "${LINE}", window: ONE_MINUTE) { scope scopeId window line { id } } }`);
    await settle();
    const quarter = kpiMessage('line', LINE, 7);
    const minute = kpiMessage('line', LINE, 8);
    if (minute.type === 'kpi-updated') minute.kpi.window = '1m';
    await publisher.publish([quarter, minute]);
    const [first] = await sub.waitFor(1);
    expect(first.data.kpiUpdated).toEqual({ scope: 'LINE', scopeId: LINE, window: 'ONE_MINUTE', line: { id: LINE } });
    sub.unsubscribe();
  });

  it.each([
    ['no id', 'subscription { kpiUpdated { scopeId } }'],
    ['two ids', `subscription { kpiUpdated(assetId: "a", plantId: "${PLANT}") { scopeId } }`],
    ['an empty id', 'subscription { kpiUpdated(assetId: "") { scopeId } }'],
  ])('rejects %s with BAD_USER_INPUT', async (_case, query) => {
    const sub = subscribe(query);
    const [result] = await sub.waitFor(1);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(result.errors?.[0]?.message).toMatch(/assetId/);
  });
});

describe('entity fields of events', () => {
  it('reads the asset afresh for every event (no DataLoader cache across events)', async () => {
    const h = { enterpriseId: 'acme', plantId: PLANT, lineId: LINE, assetId: 'asset-live-fresh' };
    const dynamodb = createClient(DynamoDBClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    const store = new DynamoDbAssetStateStore(dynamodb, { tableName: subgraph.config.KPI_TABLE });
    const running = { ...initialAssetState(h, '2026-03-02T08:00:00.000Z'), version: 1 };
    await store.saveAssetStates([{ assetId: h.assetId, after: running }], '2026-03-02T08:00:00.000Z');
    const sub = subscribe(`subscription { kpiUpdated(assetId: "${h.assetId}") { goodCount asset { state { state } } } }`);
    await settle();
    await publisher.publish([kpiMessage('asset', h.assetId, 1)]);
    await sub.waitFor(1);
    const down = { ...running, machineState: 'down' as const, version: 2 };
    await store.saveAssetStates([{ assetId: h.assetId, before: running, after: down }], '2026-03-02T08:01:00.000Z');
    await publisher.publish([kpiMessage('asset', h.assetId, 2)]);
    const results = await sub.waitFor(2);
    expect(results.map((r) => [r.data.kpiUpdated.goodCount, r.data.kpiUpdated.asset.state.state])).toEqual([
      [1, 'RUNNING'],
      [2, 'DOWN'],
    ]);
    sub.unsubscribe();
    dynamodb.destroy();
  });
});

describe('alertRaised', () => {
  it('delivers open alerts of the plant at or above the minimum severity', async () => {
    const sub = subscribe(`subscription { alertRaised(plantId: "${PLANT}", minSeverity: MAJOR) { id severity status asset { id } } }`);
    await settle();
    const messages: ChangeFeedMessage[] = [
      { version: 1, type: 'alert-changed', alert: alertOf(101, { severity: 'minor' }) },
      { version: 1, type: 'alert-changed', alert: alertOf(102, { severity: 'critical', plantId: 'plant-elsewhere' }) },
      { version: 1, type: 'alert-changed', alert: alertOf(103, { severity: 'major', status: 'acknowledged' }) },
      { version: 1, type: 'alert-changed', alert: alertOf(104, { severity: 'critical' }) },
    ];
    await publisher.publish(messages);
    const [first] = await sub.waitFor(1);
    const expectedAsset = alertOf(104).assetId;
    expect(first).toEqual({ data: { alertRaised: { id: 'alert-it-104', severity: 'CRITICAL', status: 'OPEN', asset: { id: expectedAsset } } } });
    await settle();
    expect(sub.results).toHaveLength(1);
    sub.unsubscribe();
  });
});
