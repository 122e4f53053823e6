import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbKpiStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { DEFAULT_ALERT_RULES, planBatch, SinkLimitError } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { plantEvent, sequenced } from '../../domain/test/plant-events.fixture';

/** DynamoDB limits are checked before sending: a named, non-transient SinkLimitError, nothing written. */
describe('DynamoDB KPI store: limits checked before sending (local stack)', () => {
  let stack: LocalAwsStack;
  let client: DynamoDBClient;
  let store: DynamoDbKpiStore;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    client = createClient(DynamoDBClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    store = new DynamoDbKpiStore(client, { tableName: ResourceNames.kpiTable });
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
    const failure = await store.applyKpiDeltas('shardId-000', plan.kpiDeltas).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(SinkLimitError);
    expect((failure as Error).message).toMatch(/^kpi-store: the update of KPI item KPI#\S+ W#15m#\S+ takes \d+ bytes \(DynamoDB expressions are at most 4096 bytes\)$/);

    const half = planBatch({ shardId: 'shardId-000', events: events.slice(0, 40), states: new Map(), rules: DEFAULT_ALERT_RULES });
    await expect(store.applyKpiDeltas('shardId-000', half.kpiDeltas)).resolves.toMatchObject({ partlyApplied: [] });
  });

  it('an asset state over 400 KB → SinkLimitError before any state of the batch is written', async () => {
    const events = sequenced(
      Array.from({ length: 2_000 }, (_, i) => plantEvent('measurement', '2026-11-25T09:00:00Z', { measure: `sensor-${i}-${'x'.repeat(100)}`, value: i, unit: 'u'.repeat(32), quality: 'good' })),
    );
    const plan = planBatch({ shardId: 'shardId-000', events, states: new Map(), rules: [] });
    await expect(store.saveAssetStates(plan.assets, '2026-11-25T09:00:01Z')).rejects.toThrow(/^asset-state: the state of asset asset-1 would take \d+ bytes/);
    expect((await store.loadAssetStates(['asset-1'])).get('asset-1')).toBeUndefined();
  });
});
