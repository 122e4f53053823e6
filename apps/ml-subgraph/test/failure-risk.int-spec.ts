import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { SageMakerFeatureStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ASSET_HEALTH_FEATURE_GROUP, loadConfig } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { MlSubgraphModule } from '../src/app.module';
import { MlSubgraphConfigSchema } from '../src/config';
import { internalIdentity, TEST_INTERNAL_AUTH_SECRET, testIdentity } from '../../../test/support/auth-tokens';
import { fixtureArtefact, publishFixture, sigmoid } from '../../../test/support/failure-risk-fixture';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');
const fresh = '2026-12-01T09:55:00.000Z';
const stale = new Date(NOW - ASSET_HEALTH_FEATURE_GROUP.ttlSeconds * 1000 - 1).toISOString();
const assetRecord = (id: string, plant: string, eventTime: string, vibration = '2.5') => ({
  featureGroupName: ASSET_HEALTH_FEATURE_GROUP.name,
  values: { asset_id: id, event_time: eventTime, plant_id: plant, line_id: 'l1', vibration_5m_mean: vibration, cycles_60m: '40' },
  retentionSeconds: ASSET_HEALTH_FEATURE_GROUP.retentionSeconds,
});
const RISK = 'failureRisk(top: $top) { status probability atRisk modelVersion featuresEventTime reason topContributions { name value contribution } }';
const ENTITIES = `query($reps: [_Any!]!, $top: Int) { _entities(representations: $reps) { ... on Asset { id ${RISK} } } }`;
const assets = (...ids: string[]) => ids.map((id) => ({ __typename: 'Asset', id }));

interface Risk {
  status: string;
  probability: number | null;
  atRisk: boolean | null;
  modelVersion: string | null;
  reason: string | null;
  topContributions: { name: string; value: number | null; contribution: number }[];
}

describe('ml-subgraph Asset.failureRisk (local Feature Store + local SageMaker endpoint)', () => {
  let stack: LocalAwsStack;
  let app: INestApplication;
  let url: string;
  let client: SageMakerFeatureStoreRuntimeClient;

  const graphql = async (query: string, variables?: object, identity: Promise<Record<string, string>> = internalIdentity()) => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await identity) }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data?: { _entities: ({ id: string; failureRisk: Risk } | null)[] }; errors?: { message: string; extensions?: { code?: string } }[] };
  };
  const metric = async (pattern: RegExp) => Number(pattern.exec(await (await fetch(`${url.replace(/\/graphql$/, '')}/metrics`)).text())?.[1] ?? 0);
  const invocations = () => metric(/^ml_model_invocations_total(?:\{[^}]*\})? (\d+)/m);
  const batchGets = () => metric(/ml_feature_store_calls_total\{[^}]*operation="BatchGetRecord"[^}]*\} (\d+)/);

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0, featureStore: { now: () => NOW }, modelPointerTtlMs: 0 });
    client = createClient(SageMakerFeatureStoreRuntimeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    await new SageMakerFeatureStore(client).putRecords([
      assetRecord('a1', 'p1', fresh),
      assetRecord('calm', 'p1', fresh, '1'),
      assetRecord('old', 'p1', stale),
      assetRecord('foreign', 'p2', fresh),
      ...Array.from({ length: 250 }, (_, i) => assetRecord(`bulk-${i}`, 'p1', fresh)),
    ]);
    const config = loadConfig(MlSubgraphConfigSchema, { AWS_ENDPOINT_URL: stack.endpoint, NODE_ENV: 'test', LOG_LEVEL: 'silent', INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET });
    app = await NestFactory.create(MlSubgraphModule.forRoot(config, { clock: () => NOW }), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1') + '/graphql';
  });
  afterAll(async () => {
    await app?.close();
    client?.destroy();
    await stack?.stop();
  });

  it('answers MODEL_UNAVAILABLE with a reason, not an error, while no model is trained', async () => {
    const out = await graphql(ENTITIES, { reps: assets('a1') });
    expect(out.errors).toBeUndefined();
    expect(out.data!._entities[0]!.failureRisk).toMatchObject({ status: 'MODEL_UNAVAILABLE', probability: null, modelVersion: null, topContributions: [] });
    expect(out.data!._entities[0]!.failureRisk.reason).toMatch(/unavailable/);
  });

  it('scores fresh features with the served model: probability, version, top contributions', async () => {
    publishFixture(stack.lakeDir, fixtureArtefact('v1', -1));
    const out = await graphql(ENTITIES, { reps: assets('a1', 'calm'), top: 1 });
    const [a1, calm] = out.data!._entities.map((e) => e!.failureRisk);
    expect(a1).toMatchObject({ status: 'AVAILABLE', modelVersion: 'v1', atRisk: true, reason: null });
    expect(a1.probability).toBeCloseTo(sigmoid(-1 + 2 * (2.5 - 1)), 12);
    expect(a1.topContributions).toEqual([{ name: 'vibration_5m_mean', value: 2.5, contribution: 3 }]);
    expect(calm.probability).toBeCloseTo(sigmoid(-1), 12);
    expect(calm.atRisk).toBe(false);
  });

  it('answers NOT_FOUND and EXPIRED features with a null risk and the reason', async () => {
    const out = await graphql(ENTITIES, { reps: assets('missing', 'old') });
    const [missing, old] = out.data!._entities.map((e) => e!.failureRisk);
    expect(missing).toMatchObject({ status: 'NOT_FOUND', probability: null });
    expect(old).toMatchObject({ status: 'EXPIRED', probability: null });
    expect(old.reason).toMatch(/TTL/);
  });

  it("answers another plant's asset NOT_FOUND for a plant-scoped caller", async () => {
    const out = await graphql(ENTITIES, { reps: assets('foreign') }, internalIdentity(testIdentity('operator', ['p1'])));
    expect(out.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses top outside 1-10 with BAD_USER_INPUT naming the limit', async () => {
    const out = await graphql(ENTITIES, { reps: assets('a1'), top: 11 });
    expect(out.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(out.errors?.[0].message).toMatch(/1 to 10/);
  });

  it('scores 250 assets with one BatchGetRecord and one InvokeEndpoint per 100', async () => {
    const [invokedBefore, readBefore] = [await invocations(), await batchGets()];
    const out = await graphql(ENTITIES, { reps: assets(...Array.from({ length: 250 }, (_, i) => `bulk-${i}`)) });
    expect(out.errors).toBeUndefined();
    expect(out.data!._entities.every((e) => e!.failureRisk.status === 'AVAILABLE')).toBe(true);
    expect((await invocations()) - invokedBefore).toBe(3);
    expect((await batchGets()) - readBefore).toBe(3);
  });
});
