import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { SageMakerFeatureStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ASSET_HEALTH_FEATURE_GROUP, LINE_HEALTH_FEATURE_GROUP, loadConfig } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { MlSubgraphModule } from '../src/app.module';
import { MlSubgraphConfigSchema } from '../src/config';
import { internalIdentity, TEST_INTERNAL_AUTH_SECRET, testIdentity } from '../../../test/support/auth-tokens';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');
const fresh = '2026-12-01T09:55:00.000Z';
const stale = new Date(NOW - ASSET_HEALTH_FEATURE_GROUP.ttlSeconds * 1000 - 1).toISOString();
const assetRecord = (id: string, plant: string, eventTime: string, extra: Record<string, string> = {}) => ({
  featureGroupName: ASSET_HEALTH_FEATURE_GROUP.name,
  values: { asset_id: id, event_time: eventTime, plant_id: plant, line_id: 'l1', vibration_5m_mean: '2.5', cycles_60m: '40', ...extra },
  retentionSeconds: ASSET_HEALTH_FEATURE_GROUP.retentionSeconds,
});
const ENTITIES = 'query($reps: [_Any!]!, $names: [String!]) { _entities(representations: $reps) { ... on Asset { id features(names: $names) { name status value numericValue eventTime } } ... on Line { id features(names: $names) { name status value } } } }';
const assets = (...ids: string[]) => ids.map((id) => ({ __typename: 'Asset', id }));

describe('ml-subgraph features', () => {
  let stack: LocalAwsStack;
  let app: INestApplication;
  let url: string;
  let client: SageMakerFeatureStoreRuntimeClient;

  /** As the gateway calls it: with a signed internal identity (an admin of every plant unless given). */
  const graphql = async (query: string, variables?: object, identity: Promise<Record<string, string>> = internalIdentity()) => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await identity) }, body: JSON.stringify({ query, variables }) });
    return res.json();
  };
  const batchGetCalls = async () => {
    const text = await (await fetch(`${url.replace(/\/$/, '')}/metrics`)).text();
    return Number(/ml_feature_store_calls_total\{[^}]*operation="BatchGetRecord"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0, featureStore: { now: () => NOW } });
    client = createClient(SageMakerFeatureStoreRuntimeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    const store = new SageMakerFeatureStore(client);
    await store.putRecords([
      assetRecord('a1', 'p1', fresh),
      assetRecord('old', 'p1', stale),
      assetRecord('foreign', 'p2', fresh),
      ...Array.from({ length: 250 }, (_, i) => assetRecord(`bulk-${i}`, 'p1', fresh)),
      { featureGroupName: LINE_HEALTH_FEATURE_GROUP.name, values: { line_id: 'l1', event_time: fresh, plant_id: 'p1', assets_down: '2' } },
    ]);
    const config = loadConfig(MlSubgraphConfigSchema, { AWS_ENDPOINT_URL: stack.endpoint, NODE_ENV: 'test', LOG_LEVEL: 'silent', INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET });
    app = await NestFactory.create(MlSubgraphModule.forRoot(config, { clock: () => NOW }), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    client?.destroy();
    await stack?.stop();
  });

  it('answers PRESENT values with their event time, NULL for a feature without data and NOT_FOUND without a record', async () => {
    const body = await graphql(ENTITIES, { reps: assets('a1', 'nobody'), names: ['vibration_5m_mean', 'cycles_60m', 'temperature_5m_mean'] });
    expect(body.errors).toBeUndefined();
    const [a1, nobody] = body.data._entities;
    expect(a1.features).toEqual([
      { name: 'vibration_5m_mean', status: 'PRESENT', value: '2.5', numericValue: 2.5, eventTime: fresh },
      { name: 'cycles_60m', status: 'PRESENT', value: '40', numericValue: 40, eventTime: fresh },
      { name: 'temperature_5m_mean', status: 'NULL', value: null, numericValue: null, eventTime: fresh },
    ]);
    expect(nobody.features.map((f: { status: string }) => f.status)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
  });

  it('answers EXPIRED, without the value, for a record older than the group TTL', async () => {
    const body = await graphql(ENTITIES, { reps: assets('old'), names: ['vibration_5m_mean'] });
    expect(body.data._entities[0].features).toEqual([{ name: 'vibration_5m_mean', status: 'EXPIRED', value: null, numericValue: null, eventTime: stale }]);
  });

  it('serves every value feature when names are left out, and line features', async () => {
    const body = await graphql(ENTITIES, { reps: [{ __typename: 'Line', id: 'l1' }, ...assets('a1')] });
    const [line, asset] = body.data._entities;
    expect(line.features.find((f: { name: string }) => f.name === 'assets_down')).toEqual({ name: 'assets_down', status: 'PRESENT', value: '2' });
    expect(asset.features).toHaveLength(ASSET_HEALTH_FEATURE_GROUP.features.length - 2);
  });

  it('refuses unknown and repeated names with BAD_USER_INPUT naming them', async () => {
    const unknown = await graphql(ENTITIES, { reps: assets('a1'), names: ['vibration_5m_mean', 'rocket_fuel'] });
    expect(unknown.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors[0].message).toContain('"rocket_fuel"');
    const repeated = await graphql(ENTITIES, { reps: assets('a1'), names: ['cycles_60m', 'cycles_60m'] });
    expect(repeated.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const empty = await graphql(ENTITIES, { reps: assets('a1'), names: [] });
    expect(empty.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it("answers another plant's asset NOT_FOUND for a plant-scoped caller, and serves its own", async () => {
    const scoped = internalIdentity(testIdentity('data_scientist', ['p1']));
    const body = await graphql(ENTITIES, { reps: assets('foreign', 'a1'), names: ['cycles_60m'] }, scoped);
    expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['NOT_FOUND']);
    expect(body.data._entities[0]).toBeNull();
    expect(body.data._entities[1].features[0].value).toBe('40');
  });

  it('refuses a caller without the gateway-signed identity (401)', async () => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(res.status).toBe(401);
  });

  it('reads 250 assets of one request with one BatchGetRecord call per 100 ids', async () => {
    const before = await batchGetCalls();
    const ids = Array.from({ length: 250 }, (_, i) => `bulk-${i}`);
    const body = await graphql(ENTITIES, { reps: assets(...ids), names: ['cycles_60m'] });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.every((e: { features: { status: string }[] }) => e.features[0].status === 'PRESENT')).toBe(true);
    expect((await batchGetCalls()) - before).toBe(3);
  });

  it('reports /health ready when the Feature Store answers', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
  });
});
