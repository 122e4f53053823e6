import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { TimestreamTrendStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { loadConfig, ResourceNames } from '@plant/config';
import type { TrendPoint } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { HistorySubgraphModule } from '../src/app.module';
import { HistorySubgraphConfigSchema } from '../src/config';
import { internalIdentity, TEST_INTERNAL_AUTH_SECRET, testIdentity } from '../../../test/support/auth-tokens';

/** Line, plant and richer asset trends through the subgraph (the stores' equality is in libs/adapters). */
describe('history-subgraph richer trends', () => {
  let stack: LocalAwsStack;
  let app: INestApplication;
  let url: string;
  const minute = 60_000;
  const base = Math.floor(Date.now() / minute) * minute - 5 * minute;
  const querySend = jest.spyOn(TimestreamQueryClient.prototype, 'send');

  const reading = (asset: string, line: string, plant: string, timeMs: number, value: number, quality: string): TrendPoint => ({
    timeMs,
    dimensions: { enterprise: 'acme', plant, line, asset, source: 'pi' },
    measureName: 'pressure',
    values: [
      { name: 'value', type: 'DOUBLE', value },
      { name: 'quality', type: 'VARCHAR', value: quality },
      { name: 'unit', type: 'VARCHAR', value: 'bar' },
    ],
    version: 1,
    eventId: `${asset}-${timeMs}`,
  });

  const graphql = async (query: string, identity: Record<string, string> | Promise<Record<string, string>> = internalIdentity()) => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await identity) }, body: JSON.stringify({ query }) });
    return res.json();
  };

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    const store = new TimestreamTrendStore(createClient(TimestreamWriteClient, { region: 'eu-central-1', endpoint: stack.endpoint }), {
      databaseName: ResourceNames.timestreamDatabase,
      tableName: ResourceNames.timestreamTable,
    });
    expect(
      await store.write([
        reading('a1', 'l1', 'p1', base, 10, 'good'),
        reading('a1', 'l1', 'p1', base + 45_000, 20, 'bad'),
        reading('a2', 'l1', 'p1', base, 30, 'good'),
        reading('a2', 'l1', 'p1', base + 2 * minute, 50, 'good'),
        reading('b1', 'l9', 'p2', base, 99, 'good'),
      ]),
    ).toEqual([]);
    const config = loadConfig(HistorySubgraphConfigSchema, {
      AWS_ENDPOINT_URL: stack.endpoint,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET,
      PLANT_UTC_OFFSETS: 'p1=330',
    });
    app = await NestFactory.create(HistorySubgraphModule.forRoot(config), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    querySend.mockRestore();
    await app?.close();
    await stack?.stop();
  });

  const FIELDS = 'subject subjectId assetId utcOffsetMinutes points { time avg timeWeightedAvg p95 count goodPercent badCount filled }';

  it('answers asset, line and plant trends of one operation with one store query per range', async () => {
    const before = querySend.mock.calls.length;
    const range = `measure: "pressure", last: "1h", bucket: "1m", aggregates: [AVG, TIME_WEIGHTED_AVG, P95, COUNT, GOOD_PERCENT]`;
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await internalIdentity()) },
      body: JSON.stringify({
        query: `query ($r: [_Any!]!) { _entities(representations: $r) {
          ... on Asset { trend(${range}) { ${FIELDS} } }
          ... on Line { trend(${range}) { ${FIELDS} } }
          ... on Plant { trend(${range}, fill: PREVIOUS) { ${FIELDS} } } } }`,
        variables: { r: [{ __typename: 'Asset', id: 'a1' }, { __typename: 'Asset', id: 'a2' }, { __typename: 'Line', id: 'l1' }, { __typename: 'Plant', id: 'p1' }] },
      }),
    });
    const { data, errors } = await res.json();
    expect(errors).toBeUndefined();
    const [a1, a2, l1, p1] = data._entities.map((e: { trend: unknown }) => e.trend);
    // one query for the two assets, one for the line, one for the plant (each subject kind is its own group)
    expect(querySend.mock.calls.length - before).toBe(3);
    expect(a1).toMatchObject({ subject: 'ASSET', subjectId: 'a1', assetId: 'a1', utcOffsetMinutes: 330 });
    expect(a1.points[0]).toEqual({ time: new Date(base).toISOString(), avg: 15, timeWeightedAvg: 12.5, p95: 19.5, count: 2, goodPercent: 50, badCount: 1, filled: false });
    expect(a2.points.map((p: { avg: number }) => p.avg)).toEqual([30, 50]);
    expect(l1).toMatchObject({ subject: 'LINE', subjectId: 'l1', assetId: null });
    expect(l1.points[0]).toMatchObject({ count: 3, avg: 20 });
    const first = p1.points.findIndex((p: { count: number }) => p.count > 0);
    expect(p1.points.slice(first, first + 3).map((p: { count: number; filled: boolean }) => [p.count, p.filled])).toEqual([
      [3, false],
      [0, true],
      [1, false],
    ]);
  });

  it('refuses an over-large request with BAD_USER_INPUT naming the limit, and a 7-day 1-minute trend is served', async () => {
    const big = await graphql('{ assetTrend(assetId: "a1", measure: "pressure", last: "31d", bucket: "10s") { subjectId } }');
    expect(big.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(big.errors[0].message).toMatch(/^bucket: gives 267841 buckets, more than the limit of 50000/);
    const week = await graphql('{ assetTrend(assetId: "a1", measure: "pressure", last: "7d", bucket: "1m") { points { count } } }');
    expect(week.errors).toBeUndefined();
    expect(week.data.assetTrend.points.length).toBeGreaterThan(0);
    const both = await graphql('{ assetTrend(assetId: "a1", measure: "pressure", last: "1h", from: "2026-11-30T00:00:00Z") { subjectId } }');
    expect(both.errors[0]).toMatchObject({ message: 'last: give either last or from/to, not both', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('answers another plant’s plant NOT_FOUND and reads nothing of another plant’s line or asset', async () => {
    const partner = await internalIdentity(testIdentity('partner', ['p2']));
    const query = (typename: string, id: string) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...partner },
        body: JSON.stringify({ query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { trend(measure: "pressure") { points { count } } } } }`, variables: { r: [{ __typename: typename, id }] } }),
      });
    const plant = await (await query('Plant', 'p1')).json();
    expect(plant.errors[0].extensions.code).toBe('NOT_FOUND');
    const line = await (await query('Line', 'l1')).json();
    expect(line.data._entities[0].trend.points).toEqual([]);
    const own = await (await query('Line', 'l9')).json();
    expect(own.data._entities[0].trend.points[0].count).toBe(1);
  });
});
