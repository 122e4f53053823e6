import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { InfluxDbTrendStore, TimestreamTrendStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { loadConfig, ResourceNames } from '@plant/config';
import type { TrendPoint, TrendStore } from '@plant/domain';
import { INFLUXDB_TREND_BUCKET, LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { HistorySubgraphModule } from '../src/app.module';
import { HistorySubgraphConfigSchema } from '../src/config';
import { internalIdentity, TEST_INTERNAL_AUTH_SECRET, testIdentity } from '../../../test/support/auth-tokens';

const TREND = 'trend(measure: "temperature", last: "1h", bucket: "1m") { assetId unit bucketSeconds points { time avg min max count } }';

/** The same behaviour on both trend stores (TREND_STORE), each on its local endpoint. */
const STORES: { store: string; env: Record<string, string>; healthCheck: string; writer: (endpoint: string) => TrendStore }[] = [
  {
    store: 'timestream',
    env: {},
    healthCheck: `timestream:${ResourceNames.timestreamDatabase}.${ResourceNames.timestreamTable}`,
    writer: (endpoint) =>
      new TimestreamTrendStore(createClient(TimestreamWriteClient, { region: 'eu-central-1', endpoint }), {
        databaseName: ResourceNames.timestreamDatabase,
        tableName: ResourceNames.timestreamTable,
      }),
  },
  {
    store: 'influxdb',
    env: { TREND_STORE: 'influxdb' },
    healthCheck: `influxdb:${INFLUXDB_TREND_BUCKET}`,
    writer: (endpoint) => new InfluxDbTrendStore({ url: endpoint, token: 'local-stack', org: 'plant', bucket: INFLUXDB_TREND_BUCKET }),
  },
];

describe.each(STORES)('history-subgraph on the $store trend store', ({ env, healthCheck, writer }) => {
  let stack: LocalAwsStack;
  let app: INestApplication;
  let url: string;
  let store: TrendStore;
  const minute = 60_000;
  const base = Math.floor(Date.now() / minute) * minute - 3 * minute;

  const reading = (asset: string, timeMs: number, value: number): TrendPoint => ({
    timeMs,
    dimensions: { enterprise: 'acme', plant: 'p1', line: 'l1', asset, source: 'das' },
    measureName: 'temperature',
    values: [
      { name: 'value', type: 'DOUBLE', value },
      { name: 'unit', type: 'VARCHAR', value: 'degC' },
    ],
    version: 1,
    eventId: `${asset}-${timeMs}`,
  });

  /** As the gateway calls it: with a signed internal identity (an admin of every plant unless given). */
  const graphql = async (query: string, variables?: object, identity: Record<string, string> | Promise<Record<string, string>> = internalIdentity()) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await identity) },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  };

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    store = writer(stack.endpoint);
    await store.write([reading('a1', base, 60), reading('a1', base + 20_000, 70), reading('a2', base, 40)]);
    const config = loadConfig(HistorySubgraphConfigSchema, {
      AWS_ENDPOINT_URL: stack.endpoint,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET,
      ...env,
    });
    app = await NestFactory.create(HistorySubgraphModule.forRoot(config), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await stack.stop();
  });

  it('resolves Asset.trend for a batch of entity references (the gateway path)', async () => {
    const body = await graphql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Asset { id ${TREND} } } }`, {
      r: [{ __typename: 'Asset', id: 'a1' }, { __typename: 'Asset', id: 'a2' }, { __typename: 'Asset', id: 'unknown' }],
    });
    expect(body.errors).toBeUndefined();
    const [a1, a2, unknown] = body.data._entities;
    expect(a1.trend).toMatchObject({ assetId: 'a1', unit: 'degC', bucketSeconds: 60 });
    expect(a1.trend.points[0]).toEqual({ time: new Date(base).toISOString(), avg: 65, min: 60, max: 70, count: 2 });
    expect(a2.trend.points[0].avg).toBe(40);
    expect(unknown.trend.points).toEqual([]);
  });

  it('filters trends by the caller’s plants: another plant’s asset answers like an unknown one', async () => {
    const query = `{ assetTrend(assetId: "a1", measure: "temperature") { assetId points { avg } } }`;
    const own = await graphql(query, undefined, internalIdentity(testIdentity('partner', ['p1'])));
    const other = await graphql(query, undefined, internalIdentity(testIdentity('partner', ['p2'])));
    const unknown = await graphql(query.replace('"a1"', '"a-unknown"'), undefined, internalIdentity(testIdentity('partner', ['p2'])));
    expect(own.data.assetTrend.points.length).toBeGreaterThan(0);
    expect(other).toEqual({ data: { assetTrend: { assetId: 'a1', points: [] } } });
    expect(unknown).toEqual({ data: { assetTrend: { assetId: 'a-unknown', points: [] } } });
  });

  it('refuses a request without the gateway’s internal identity (401)', async () => {
    const body = await graphql(`{ assetTrend(assetId: "a1", measure: "temperature") { assetId } }`, undefined, {});
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data ?? null).toBeNull();
  });

  it('shows new readings on the next request (no stale cache between requests)', async () => {
    await store.write([reading('a2', base + minute, 42)]);
    const body = await graphql(`{ assetTrend(assetId: "a2", measure: "temperature") { points { avg } } }`);
    expect(body.data.assetTrend.points.map((p: { avg: number }) => p.avg)).toEqual([40, 42]);
  });

  it('answers a malformed duration with BAD_USER_INPUT naming the argument', async () => {
    const body = await graphql(`{ assetTrend(assetId: "a1", measure: "temperature", last: "an hour") { assetId } }`);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/^last: "an hour" is not a duration/);
    expect(body.errors[0].extensions.stacktrace).toBeUndefined();
  });

  it('publishes a Federation 2 SDL in which Asset is an entity keyed by id', async () => {
    const body = await graphql('{ _service { sdl } }');
    expect(body.data._service.sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6"');
    expect(body.data._service.sdl).toMatch(/type Asset\s+@key\(fields: "id"\)/);
  });

  it('is ready when the trend store answers', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect((await res.json()).checks[healthCheck].status).toBe('ok');
  });
});
