import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbKpiWindowStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { emptyCounters, KpiDelta, windowInstanceAt } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { internalIdentity, testIdentity } from '../../../test/support/auth-tokens';
import { LINE, NOW, OTHER_PLANT, PLANT, writeFixtures } from './support/kpi-fixtures';
import { gql, RunningSubgraph, startSubgraph } from './support/kpi-subgraph.harness';

const QUARTER = 15 * 60_000;
/** Eight quarter hours of the line before NOW's, good count 100 + i in the i-th. */
const FIRST = windowInstanceAt('15m', NOW.getTime()).startMs - 8 * QUARTER;

let stack: LocalAwsStack;
let subgraph: RunningSubgraph;

beforeAll(async () => {
  stack = await startLocalAws({ port: 0 });
  const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
  await writeFixtures(connection, 'plant-kpis');
  const client = createClient(DynamoDBClient, connection);
  const store = new DynamoDbKpiWindowStore(client, { tableName: 'plant-kpis', clock: () => NOW });
  const deltas: KpiDelta[] = Array.from({ length: 8 }, (_, i) => ({
    itemId: `line#${LINE}#15m#${i}`,
    scope: 'line',
    scopeId: LINE,
    hierarchy: { enterpriseId: 'acme', plantId: PLANT, lineId: LINE },
    window: '15m',
    windowStartMs: FIRST + i * QUARTER,
    windowEndMs: FIRST + (i + 1) * QUARTER,
    counters: { ...emptyCounters(), runMs: 600_000, goodCount: 100 + i, idealMs: 300_000 },
    firstSequence: '00000000000000000100',
    lastSequence: '00000000000000000100',
    lastEventMs: FIRST + i * QUARTER + 1_000,
  }));
  await store.applyKpiDeltas('shardId-000000000001', deltas);
  client.destroy();
  subgraph = await startSubgraph(stack.endpoint);
});

afterAll(async () => {
  await subgraph?.close();
  await stack?.stop();
});

const iso = (ms: number) => new Date(ms).toISOString();
const KPIS = (from: number, to: number, window = 'FIFTEEN_MINUTES') => `kpis(window: ${window}, from: "${iso(from)}", to: "${iso(to)}") { window windowStart goodCount }`;

describe('kpis(window, from, to) from the live KPI table', () => {
  it('answers every stored instance overlapping the range, oldest first', async () => {
    const { data, errors } = await gql(subgraph.url, `{ line(id: "${LINE}") { ${KPIS(FIRST + 2 * QUARTER + 60_000, FIRST + 5 * QUARTER)} } }`);
    expect(errors).toBeUndefined();
    expect(data.line.kpis).toEqual([2, 3, 4].map((i) => ({ window: 'FIFTEEN_MINUTES', windowStart: iso(FIRST + i * QUARTER), goodCount: 100 + i })));
  });

  it('reads the ranges of a batch of entities in one request, each its own', async () => {
    const { data } = await gql(
      subgraph.url,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Line { id ${KPIS(FIRST, FIRST + 8 * QUARTER)} } ... on Plant { id ${KPIS(FIRST, FIRST + 8 * QUARTER)} } } }`,
      { r: [{ __typename: 'Line', id: LINE }, { __typename: 'Plant', id: PLANT }] },
    );
    expect(data._entities[0].kpis).toHaveLength(8);
    expect(data._entities[1].kpis).toEqual([]);
  });

  it('refuses a range beyond what the table keeps and a malformed time with BAD_USER_INPUT naming the argument and limit', async () => {
    const old = await gql(subgraph.url, `{ line(id: "${LINE}") { ${KPIS(FIRST - 15 * 86_400_000, FIRST)} } }`);
    expect(old.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(old.errors?.[0].message).toMatch(/^from: the range of 15m KPIs must be at most 14 days/);
    const bad = await gql(subgraph.url, `{ line(id: "${LINE}") { kpis(window: DAY, from: "yesterday") { oee } } }`);
    expect(bad.errors?.[0].message).toMatch(/^from: "yesterday" is not an ISO-8601 time/);
  });

  it('answers another plant’s line NOT_FOUND and never reads its KPIs', async () => {
    const partner = await internalIdentity(testIdentity('partner', [OTHER_PLANT]));
    const body = await gql(subgraph.url, `{ line(id: "${LINE}") { ${KPIS(FIRST, FIRST + 8 * QUARTER)} } }`, {}, partner);
    expect(body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(body.data?.line ?? null).toBeNull();
  });
});
