import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { kpiTableStores, KpiTableStores } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { AssetState, DEFAULT_ALERT_RULES, planBatch, StaleAssetStateError } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { plantEvent, sequenced } from '../../domain/test/plant-events.fixture';

describe('DynamoDB adapters of the KPI table (local stack)', () => {
  let stack: LocalAwsStack;
  let client: DynamoDBClient;
  let store: KpiTableStores;
  const now = new Date('2026-11-25T08:00:50Z');

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    client = createClient(DynamoDBClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    store = kpiTableStores(client, { tableName: ResourceNames.kpiTable, clock: () => now });
  });
  afterAll(async () => {
    client.destroy();
    await stack.stop();
  });

  const events = sequenced([
    plantEvent('machine-state', '2026-11-25T08:00:00Z', { state: 'running' }),
    plantEvent('production', '2026-11-25T08:00:30Z', { goodCount: 10, scrapCount: 0, idealCycleSeconds: 2 }),
    plantEvent('machine-state', '2026-11-25T08:00:40Z', { state: 'down', reasonCode: 'jam' }),
    plantEvent('measurement', '2026-11-25T08:00:45Z', { measure: 'temperature', value: 120, unit: '°C', quality: 'good' }),
  ]);

  async function writeBatch(states: Map<string, AssetState | undefined>) {
    const plan = planBatch({ shardId: 'shardId-000', events, states, rules: DEFAULT_ALERT_RULES });
    const result = await store.kpiWindows.applyKpiDeltas('shardId-000', plan.kpiDeltas);
    await store.assetDirectory.registerAssets(plan.assets.filter((a) => !a.before).map((a) => a.after.hierarchy));
    await store.alertStore.saveAlertChanges(plan.alertChanges);
    await store.assetStates.saveAssetStates(plan.assets, now.toISOString());
    return { plan, result };
  }

  it('applies a batch once; the same batch again is recognised as applied and changes nothing', async () => {
    const first = await writeBatch(await store.assetStates.loadAssetStates(['asset-1']));
    expect(first.result.updated).toHaveLength(12);
    const [kpi] = await store.kpiWindows.getCurrentKpis([{ scope: 'asset', scopeId: 'asset-1', window: '1m' }]);
    expect(kpi?.figures).toMatchObject({ goodCount: 10, runSeconds: 40, downtimeSeconds: 5, downtimeByReason: [{ reasonCode: 'jam', seconds: 5 }] });

    // Crash after the KPI writes, before the state write: the replay starts from the old (empty) state.
    const replay = await writeBatch(new Map([['asset-1', undefined]])).catch((err: Error) => err);
    expect(replay).toBeInstanceOf(StaleAssetStateError);
    const replayed = await store.kpiWindows.applyKpiDeltas('shardId-000', planBatch({ shardId: 'shardId-000', events, states: new Map(), rules: DEFAULT_ALERT_RULES }).kpiDeltas);
    expect(replayed).toMatchObject({ updated: [], alreadyApplied: 12, partlyApplied: [] });
    const [again] = await store.kpiWindows.getCurrentKpis([{ scope: 'asset', scopeId: 'asset-1', window: '1m' }]);
    expect(again?.figures).toEqual(kpi?.figures);
  });

  it('reports an item whose mark lies inside a longer redelivery as partly applied', async () => {
    const longer = sequenced([...events.map((e) => e.event), plantEvent('production', '2026-11-25T08:00:48Z', { goodCount: 1, scrapCount: 0, idealCycleSeconds: 2 })]);
    const plan = planBatch({ shardId: 'shardId-000', events: longer, states: new Map(), rules: DEFAULT_ALERT_RULES });
    const result = await store.kpiWindows.applyKpiDeltas('shardId-000', plan.kpiDeltas);
    expect(result.partlyApplied).toHaveLength(12);
    expect(result.partlyApplied[0].storedMark).toBe(events[3].sequence);
  });

  it('serves the directory, statuses and alerts that the writes produced', async () => {
    expect(await store.assetDirectory.listPlants()).toEqual([{ enterpriseId: 'ent-1', plantId: 'plant-1' }]);
    expect(await store.assetDirectory.listLines('plant-1')).toEqual([{ enterpriseId: 'ent-1', plantId: 'plant-1', lineId: 'line-1' }]);
    expect((await store.assetDirectory.listAssets('line-1', { first: 10 })).items).toEqual([{ enterpriseId: 'ent-1', plantId: 'plant-1', lineId: 'line-1', assetId: 'asset-1' }]);
    const [status, missing] = await store.assetStates.getAssetStatuses(['asset-1', 'nope']);
    expect(status).toMatchObject({ state: 'down', stateReasonCode: 'jam', sensors: [{ measure: 'temperature', value: 120 }] });
    expect(missing).toBeUndefined();
    const alerts = await store.alertStore.listAlerts({ plantId: 'plant-1', status: 'open' }, { first: 10 });
    expect(alerts.items.map((a) => a.ruleId).sort()).toEqual(['machine-down', 'temperature-critical', 'temperature-high']);
    const critical = await store.alertStore.listAlerts({ minSeverity: 'critical' }, { first: 10 });
    expect(critical.items.map((a) => a.ruleId)).toEqual(['temperature-critical']);
  });

  it('pages alerts with a cursor and acknowledges an open alert once', async () => {
    const page1 = await store.alertStore.listAlerts({ plantId: 'plant-1' }, { first: 2 });
    const page2 = await store.alertStore.listAlerts({ plantId: 'plant-1' }, { first: 2, after: page1.endCursor });
    expect(page1.items).toHaveLength(2);
    expect(page2.items).toHaveLength(1);
    expect(new Set([...page1.items, ...page2.items].map((a) => a.alertId)).size).toBe(3);
    const id = page2.items[0].alertId;
    const acked = await store.alertStore.acknowledgeAlert(id, 'operator-7', '2026-11-25T08:05:00Z');
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'operator-7' });
    const second = await store.alertStore.acknowledgeAlert(id, 'someone-else', '2026-11-25T08:06:00Z');
    expect(second?.acknowledgedBy).toBe('operator-7');
    expect(await store.alertStore.acknowledgeAlert('no-such-alert', 'x', '2026-11-25T08:06:00Z')).toBeUndefined();
  });

  it('reads more than 100 keys in one call (BatchGetItem chunks) in key order', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => (i === 137 ? 'asset-1' : `absent-${i}`));
    const statuses = await store.assetStates.getAssetStatuses(ids);
    expect(statuses).toHaveLength(250);
    expect(statuses.findIndex((s) => s !== undefined)).toBe(137);
  });
});
