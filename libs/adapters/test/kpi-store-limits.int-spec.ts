import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { assetStatusItemOf, dynamoItemBytes, kpiTableStores, KpiTableStores } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import type { PlantEvent } from '@plant/contracts';
import { ASSET_STATE_LIMITS, DEFAULT_ALERT_RULES, padSequence, planBatch, SinkLimitError } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { plantEvent, sequenced } from '../../domain/test/plant-events.fixture';

/** DynamoDB limits are checked before sending: a named, non-transient SinkLimitError, nothing written. */
describe('DynamoDB KPI store: limits checked before sending (local stack)', () => {
  let stack: LocalAwsStack;
  let client: DynamoDBClient;
  let store: KpiTableStores;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    client = createClient(DynamoDBClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    store = kpiTableStores(client, { tableName: ResourceNames.kpiTable });
  });
  afterAll(async () => {
    client.destroy();
    await stack.stop();
  });

  it('a quarter hour with 200 downtime reasons in one batch: the update expression is over 4 KB → SinkLimitError; a tenth of the batch fits', async () => {
    const events = sequenced(
      Array.from({ length: 400 }, (_, i) =>
        plantEvent('machine-state', new Date(Date.parse('2026-11-25T08:00:00Z') + i * 2_000).toISOString(), i % 2 ? { state: 'running' } : { state: 'down', reasonCode: `reason-${i}` }),
      ),
    );
    const plan = planBatch({ shardId: 'shardId-000', events, states: new Map(), rules: DEFAULT_ALERT_RULES });
    const failure = await store.kpiWindows.applyKpiDeltas('shardId-000', plan.kpiDeltas).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(SinkLimitError);
    expect((failure as Error).message).toMatch(/^kpi-store: the update of KPI item KPI#\S+ W#15m#\S+ takes \d+ bytes \(DynamoDB expressions are at most 4096 bytes\)$/);

    const half = planBatch({ shardId: 'shardId-000', events: events.slice(0, 40), states: new Map(), rules: DEFAULT_ALERT_RULES });
    await expect(store.kpiWindows.applyKpiDeltas('shardId-000', half.kpiDeltas)).resolves.toMatchObject({ partlyApplied: [] });
  });

  it('an asset state over 400 KB → SinkLimitError before any state of the batch is written', async () => {
    const events = sequenced(
      Array.from({ length: 2_000 }, (_, i) => plantEvent('measurement', '2026-11-25T09:00:00Z', { measure: `sensor-${i}-${'x'.repeat(100)}`, value: i, unit: 'u'.repeat(32), quality: 'good' })),
    );
    const plan = planBatch({ shardId: 'shardId-000', events, states: new Map(), rules: [] });
    // The planner's own bounds keep a state far smaller: here the state is built past them on purpose.
    const bloated = { ...plan.assets[0], after: { ...plan.assets[0].after, sensors: Object.fromEntries(events.map(({ event }) => [(event as { measure: string }).measure, { measure: (event as { measure: string }).measure, value: 1, unit: 'u'.repeat(32), quality: 'good' as const, at: event.eventTime }])) } };
    await expect(store.assetStates.saveAssetStates([bloated], '2026-11-25T09:00:01Z')).rejects.toThrow(/^asset-state: the state of asset asset-1 would take \d+ bytes/);
    expect((await store.assetStates.loadAssetStates(['asset-1'])).get('asset-1')).toBeUndefined();
  });

  it('the largest state the planner can build (every bound reached, every string at its contract maximum) is stored by DynamoDB', async () => {
    const max = '€'.repeat(128); // 128 characters (the contract's maximum), 3 UTF-8 bytes each
    const id = (prefix: string, i: number) => `${prefix}${i}${max}`.slice(0, 128);
    const at = '2026-11-25T09:00:00.123456789+01:00'; // the longest time the contract accepts
    const hierarchy = { enterpriseId: id('e', 0), plantId: id('p', 0), lineId: id('l', 0), assetId: id('a', 0) };
    const base = { ...hierarchy, schemaVersion: 1 as const, source: 'citect-scada' as const, eventTime: at, ingestTime: at };
    const beyond = 20;
    const raw: PlantEvent[] = [
      ...Array.from({ length: ASSET_STATE_LIMITS.sensors + beyond }, (_, i): PlantEvent => ({ ...base, eventId: id('m', i), kind: 'measurement', measure: id('s', i), value: -1.2345678901234567e-120, unit: '€'.repeat(32), quality: 'uncertain' })),
      ...Array.from({ length: ASSET_STATE_LIMITS.openDowntimes + beyond }, (_, i): PlantEvent => ({ ...base, eventId: id('d', i), kind: 'downtime', downtimeId: id('d', i), phase: 'start', reasonCode: id('r', i), reason: '€'.repeat(256) })),
      ...Array.from({ length: ASSET_STATE_LIMITS.openScadaAlarms + beyond }, (_, i): PlantEvent => ({ ...base, eventId: id('x', i), kind: 'alarm', alarmId: id('x', i), phase: 'raised', priority: 1, tag: id('t', i), message: '€'.repeat(512) })),
      { ...base, eventId: 'state', kind: 'machine-state', state: 'down', reasonCode: max },
    ];
    const events = raw.map((event, i) => ({ sequence: padSequence(String(i + 1)), event }));
    const plan = planBatch({ shardId: 'shardId-000', events, states: new Map(), rules: DEFAULT_ALERT_RULES });
    const size = dynamoItemBytes(assetStatusItemOf(plan.assets[0], at));
    console.log(`largest asset state item: ${size} bytes`);

    await store.assetStates.saveAssetStates(plan.assets, at);
    const stored = (await store.assetStates.loadAssetStates([hierarchy.assetId])).get(hierarchy.assetId);
    expect(Object.keys(stored!.sensors)).toHaveLength(ASSET_STATE_LIMITS.sensors);
    expect(Object.keys(stored!.openAlerts).length).toBeGreaterThanOrEqual(ASSET_STATE_LIMITS.openScadaAlarms);
    expect(size).toBeLessThan(400 * 1024);
  });
});
