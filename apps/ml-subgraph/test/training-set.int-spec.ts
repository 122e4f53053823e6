import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

const T = (time: string) => `2026-12-01T${time}Z`;
const put = (id: string, eventTime: string, cycles: string, plant = 'p1') => ({
  featureGroupName: ASSET_HEALTH_FEATURE_GROUP.name,
  values: { asset_id: id, event_time: eventTime, plant_id: plant, cycles_60m: cycles },
});
const PAGE = `query($entities: [TrainingEntityInput!]!, $first: Int, $after: String, $groups: [String!]! = ["asset-health"]) {
  trainingSet(featureGroups: $groups, entities: $entities, first: $first, after: $after,
    label: { featureGroup: "asset-health", feature: "cycles_60m", horizonSeconds: 3600 }) {
    totalCount pageInfo { hasNextPage endCursor }
    rows { index entityId eventTime label features { name status value eventTime } } } }`;
const EXPORT = 'mutation($entities: [TrainingEntityInput!]!) { exportTrainingSet(featureGroups: ["asset-health"], entities: $entities) { id status location } }';
const STATUS = 'query($id: ID!) { trainingSetExport(id: $id) { id status location rowCount error } }';

describe('ml-subgraph training sets', () => {
  let stack: LocalAwsStack;
  let app: INestApplication;
  let url: string;
  let client: SageMakerFeatureStoreRuntimeClient;
  const graphql = async (query: string, variables?: object, identity: Promise<Record<string, string>> = internalIdentity()) => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await identity) }, body: JSON.stringify({ query, variables }) });
    return res.json();
  };
  const cycles = (row: { features: { name: string; status?: string }[] }) => row.features.find((f) => f.name === 'cycles_60m')!;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    client = createClient(SageMakerFeatureStoreRuntimeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    await new SageMakerFeatureStore(client).putRecords([put('a1', T('08:00:00.000'), '10'), put('a1', T('09:00:00.001'), '99'), put('foreign', T('08:00:00.000'), '7', 'p2')]);
    const config = loadConfig(MlSubgraphConfigSchema, { AWS_ENDPOINT_URL: stack.endpoint, NODE_ENV: 'test', LOG_LEVEL: 'silent', INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET, LAKE_DIR: stack.lakeDir });
    app = await NestFactory.create(MlSubgraphModule.forRoot(config), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    client?.destroy();
    await stack?.stop();
  });

  it('answers each row with the value known at its event time, never one 1 ms later, and the label after the horizon', async () => {
    const body = await graphql(PAGE, { entities: [{ id: 'a1', eventTime: T('09:00:00.000') }, { id: 'a1', eventTime: T('07:00:00.000') }] });
    expect(body.errors).toBeUndefined();
    const [at9, at7] = body.data.trainingSet.rows;
    expect(cycles(at9)).toEqual({ name: 'cycles_60m', status: 'PRESENT', value: '10', eventTime: T('08:00:00.000') });
    expect(at9.label).toBe(99);
    expect(cycles(at7)).toEqual({ name: 'cycles_60m', status: 'NOT_FOUND', value: null, eventTime: null });
  });

  it('pages in request order with a cursor', async () => {
    const entities = Array.from({ length: 5 }, (_, i) => ({ id: 'a1', eventTime: T(`0${i + 5}:30:00.000`) }));
    const first = (await graphql(PAGE, { entities, first: 2 })).data.trainingSet;
    expect(first.totalCount).toBe(5);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await graphql(PAGE, { entities, first: 2, after: first.pageInfo.endCursor })).data.trainingSet;
    expect(second.rows.map((r: { index: number }) => r.index)).toEqual([2, 3]);
  });

  it("joins no record of another plant's asset for a plant-scoped caller", async () => {
    const body = await graphql(PAGE, { entities: [{ id: 'foreign', eventTime: T('09:00:00.000') }] }, internalIdentity(testIdentity('data_scientist', ['p1'])));
    expect(cycles(body.data.trainingSet.rows[0]).status).toBe('NOT_FOUND');
  });

  it.each([
    ['an unknown feature group', { groups: ['nope'], entities: [{ id: 'a1', eventTime: T('09:00:00.000') }] }, 'featureGroups'],
    ['a bad event time', { entities: [{ id: 'a1', eventTime: 'yesterday' }] }, 'eventTime'],
    ['too many rows', { entities: Array.from({ length: 1_001 }, () => ({ id: 'a', eventTime: T('09:00:00.000') })) }, '1000 rows'],
    ['a page too large', { entities: [{ id: 'a1', eventTime: T('09:00:00.000') }], first: 5000 }, 'first'],
    ['a forged cursor', { entities: [{ id: 'a1', eventTime: T('09:00:00.000') }], after: 'bm9wZQ' }, 'after'],
  ])('refuses %s with BAD_USER_INPUT naming the limit', async (_case, variables, text) => {
    const body = await graphql(PAGE, variables);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toContain(text);
  });

  it('exports Parquet to features/exports/<id>/ and reports it SUCCEEDED to its owner only', async () => {
    const started = (await graphql(EXPORT, { entities: [{ id: 'a1', eventTime: T('09:00:00.000') }, { id: 'a1', eventTime: T('10:00:00.000') }] })).data.exportTrainingSet;
    expect(started.location).toBe(`features/exports/${started.id}/`);
    let status = started.status;
    for (let i = 0; i < 100 && status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await graphql(STATUS, { id: started.id })).data.trainingSetExport.status;
    }
    const done = (await graphql(STATUS, { id: started.id })).data.trainingSetExport;
    expect(done).toMatchObject({ status: 'SUCCEEDED', rowCount: 2, error: null });
    expect(existsSync(join(stack.lakeDir, started.location, 'part-0.parquet'))).toBe(true);
    const other = await graphql(STATUS, { id: started.id }, internalIdentity(testIdentity('data_scientist', '*', 'someone-else')));
    expect(other.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
