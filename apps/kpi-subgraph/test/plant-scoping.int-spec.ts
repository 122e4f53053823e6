import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { internalIdentity, testIdentity } from '../../../test/support/auth-tokens';
import { ALERTS, LINE, OTHER_PLANT, PLANT, writeFixtures } from './support/kpi-fixtures';
import { gql, RunningSubgraph, startSubgraph } from './support/kpi-subgraph.harness';

let stack: LocalAwsStack;
let subgraph: RunningSubgraph;
/** A partner of PLANT only, as the gateway forwards it. */
let partner: Record<string, string>;

beforeAll(async () => {
  stack = await startLocalAws({ port: 0 });
  await writeFixtures({ region: 'eu-central-1', endpoint: stack.endpoint }, 'plant-kpis');
  subgraph = await startSubgraph(stack.endpoint);
  partner = await internalIdentity(testIdentity('partner', [PLANT]));
});

afterAll(async () => {
  await subgraph?.close();
  await stack?.stop();
});

/** The answer with the unknown id's name swapped in, to compare "another plant" with "missing". */
const asIfMissing = (body: unknown, id: string, missing: string) => JSON.parse(JSON.stringify(body).split(missing).join(id));

describe('plant scoping from the verified identity (kpi-subgraph)', () => {
  it('lists only the caller’s plants, and their lines', async () => {
    const { data } = await gql(subgraph.url, '{ plants { id lines { id } } }', {}, partner);
    expect(data.plants.map((p: { id: string }) => p.id)).toEqual([PLANT]);
  });

  it('answers another plant’s plant, line and asset exactly like missing ids (NOT_FOUND)', async () => {
    for (const [field, other] of [['plant', OTHER_PLANT], ['line', 'line-it-2a'], ['asset', 'asset-it-2a-1']]) {
      const query = (id: string) => `{ ${field}(id: "${id}") { id } }`;
      const foreign = await gql(subgraph.url, query(other), {}, partner);
      const missing = await gql(subgraph.url, query('no-such-id'), {}, partner);
      expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(foreign).toEqual(asIfMissing(missing, other, 'no-such-id'));
    }
  });

  it('resolves entity references of another plant to null, like unknown ones', async () => {
    const { data } = await gql(
      subgraph.url,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Asset { id } ... on Line { id } ... on Plant { id } } }',
      { r: [{ __typename: 'Asset', id: 'asset-it-2a-1' }, { __typename: 'Line', id: 'line-it-2a' }, { __typename: 'Plant', id: OTHER_PLANT }, { __typename: 'Line', id: LINE }] },
      partner,
    );
    expect(data._entities).toEqual([null, null, null, { id: LINE }]);
  });

  it('lists only alerts of the caller’s plants, and nothing for a filter naming another plant', async () => {
    const all = await gql(subgraph.url, '{ alerts(first: 100) { edges { node { plantId } } } }', {}, partner);
    const plants = new Set(all.data.alerts.edges.map((e: { node: { plantId: string } }) => e.node.plantId));
    expect(plants).toEqual(new Set([PLANT]));
    expect(all.data.alerts.edges).toHaveLength(ALERTS.filter((a) => a.plantId === PLANT).length);
    const other = await gql(subgraph.url, `{ alerts(filter: { plantId: "${OTHER_PLANT}" }) { edges { node { id } } } }`, {}, partner);
    expect(other).toEqual({ data: { alerts: { edges: [] } } });
  });

  it('lets an operator of one plant not acknowledge another plant’s alert (NOT_FOUND, the alert unchanged)', async () => {
    const operator = await internalIdentity(testIdentity('operator', [PLANT], 'op-plant-1'));
    const foreign = ALERTS.find((a) => a.plantId === OTHER_PLANT)!.alertId;
    const res = await gql(subgraph.url, `mutation { acknowledgeAlert(alertId: "${foreign}") { status } }`, {}, operator);
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const admin = await gql(subgraph.url, `{ alerts(filter: { plantId: "${OTHER_PLANT}" }) { edges { node { id status } } } }`);
    expect(admin.data.alerts.edges).toEqual([{ node: { id: foreign, status: 'OPEN' } }]);
  });

  it('refuses subscriptions to another plant’s entity or alerts with FORBIDDEN', async () => {
    const client = createClient({ url: subgraph.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: () => partner });
    const first = (query: string) =>
      new Promise<unknown>((resolve, reject) => {
        client.subscribe({ query }, { next: resolve, error: reject, complete: () => resolve('complete') });
      });
    try {
      for (const query of [
        'subscription { kpiUpdated(assetId: "asset-it-2a-1") { scopeId } }',
        'subscription { kpiUpdated(lineId: "line-it-2a") { scopeId } }',
        `subscription { kpiUpdated(plantId: "${OTHER_PLANT}") { scopeId } }`,
        'subscription { kpiUpdated(assetId: "no-such-asset") { scopeId } }',
        `subscription { alertRaised(plantId: "${OTHER_PLANT}") { id } }`,
      ]) {
        const result = (await first(query)) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
        expect({ query, code: result.errors?.[0]?.extensions?.code, data: result.data ?? null }).toEqual({ query, code: 'FORBIDDEN', data: null });
      }
    } finally {
      await client.dispose();
    }
  });
});
