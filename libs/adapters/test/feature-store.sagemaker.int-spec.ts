import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { SageMakerFeatureStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ASSET_HEALTH_FEATURE_GROUP } from '@plant/config';
import { InvalidArgumentError, UnavailableError } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';

const GROUP = ASSET_HEALTH_FEATURE_GROUP.name;
const recordOf = (id: string, cycles: number) => ({
  featureGroupName: GROUP,
  values: { asset_id: id, event_time: '2026-12-01T09:00:00.000Z', plant_id: 'plt1', cycles_60m: String(cycles) },
  retentionSeconds: ASSET_HEALTH_FEATURE_GROUP.retentionSeconds,
});

describe('SageMakerFeatureStore adapter (local Feature Store runtime)', () => {
  let stack: LocalAwsStack;
  let client: SageMakerFeatureStoreRuntimeClient;
  const calls: string[] = [];
  let store: SageMakerFeatureStore;

  beforeAll(async () => {
    // The local service answers at most 60 records per BatchGetRecord call, the rest as UnprocessedIdentifiers.
    stack = await startLocalAws({ port: 0, featureStore: { maxRecordsPerBatchCall: 60, now: () => Date.parse('2026-12-01T10:00:00.000Z') } });
    client = createClient(SageMakerFeatureStoreRuntimeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    store = new SageMakerFeatureStore(client, { onCall: (op) => calls.push(op), retryBaseMs: 1 });
    await store.putRecords(Array.from({ length: 250 }, (_, i) => recordOf(`a${i}`, i)));
  });
  afterAll(async () => {
    client.destroy();
    await stack.stop();
  });
  beforeEach(() => calls.splice(0));

  it('reads 250 ids in calls of at most 100 ids and retries the unprocessed ones until all are read', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `a${i}`);
    const found = await store.batchGetRecords(GROUP, [...ids, 'missing'], ['asset_id', 'cycles_60m']);
    expect(found.size).toBe(250);
    expect(found.get('a7')).toEqual({ recordId: 'a7', values: { asset_id: 'a7', cycles_60m: '7' }, expiresAt: '2026-12-03T09:00:00.000Z' });
    expect(found.has('missing')).toBe(false);
    // 3 chunks (100, 100, 51 ids); each is answered 60 at a time: 2 + 2 + 1 calls.
    expect(calls.filter((c) => c === 'BatchGetRecord')).toHaveLength(5);
  });

  it('names an unknown feature group as such, retryable', async () => {
    const failure = await store.batchGetRecords('no-such-group', ['a1']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect(failure).toMatchObject({ reason: 'missing-resource', retryable: true });
  });

  it('names a refused record invalid-request, not retryable', async () => {
    const failure = await store.putRecords([{ featureGroupName: GROUP, values: { asset_id: 'x', event_time: 'yesterday' } }]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InvalidArgumentError);
    expect(failure).toMatchObject({ retryable: false });
  });

  it('gives up with unavailable when the service cannot be reached', async () => {
    const down = createClient(SageMakerFeatureStoreRuntimeClient, { region: 'eu-central-1', endpoint: 'http://127.0.0.1:1' });
    const failure = await new SageMakerFeatureStore(down).batchGetRecords(GROUP, ['a1']).catch((e: unknown) => e);
    down.destroy();
    expect(failure).toBeInstanceOf(UnavailableError);
    expect(failure).toMatchObject({ retryable: true });
  });
});
