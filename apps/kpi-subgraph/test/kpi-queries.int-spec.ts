import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { ALERTS, COUNTERS, hierarchies, LINE, LINE_ASSETS, OTHER_PLANT, PLANT, writeFixtures } from './support/kpi-fixtures';
import { gql, RunningSubgraph, startSubgraph } from './support/kpi-subgraph.harness';
import { internalIdentity, testIdentity } from '../../../test/support/auth-tokens';

let stack: LocalAwsStack;
let subgraph: RunningSubgraph;

beforeAll(async () => {
  stack = await startLocalAws({ port: 0 });
  await writeFixtures({ region: 'eu-central-1', endpoint: stack.endpoint }, 'plant-kpis');
  subgraph = await startSubgraph(stack.endpoint);
});

afterAll(async () => {
  await subgraph?.close();
  await stack?.stop();
});

beforeEach(() => subgraph.calls.clear());

describe('federation', () => {
  it('serves Federation 2 SDL with @key on the owned entities', async () => {
    const { data } = await gql(subgraph.url, '{ _service { sdl } }');
    const sdl: string = data._service.sdl;
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    for (const entity of ['Plant', 'Line', 'Asset']) expect(sdl).toMatch(new RegExp(`type ${entity}\\s+@key\\(fields: "id"\\)`));
  });

  it('resolves Asset, Line and Plant references of one _entities call with one batch read of assets', async () => {
    const representations = [
      { __typename: 'Asset', id: LINE_ASSETS[0] },
      { __typename: 'Asset', id: LINE_ASSETS[1] },
      { __typename: 'Asset', id: 'asset-unknown' },
      { __typename: 'Asset', id: LINE_ASSETS[2] },
      { __typename: 'Line', id: 'line-it-2a' },
      { __typename: 'Plant', id: PLANT },
    ];
    const { data, errors } = await gql(
      subgraph.url,
      `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        __typename
        ... on Asset { id lineId state { state reasonCode } kpi { oee goodCount } }
        ... on Line { id plantId }
        ... on Plant { id enterpriseId }
      } }`,
      { representations },
    );
    expect(errors).toBeUndefined();
    expect(data._entities).toEqual([
      { __typename: 'Asset', id: LINE_ASSETS[0], lineId: LINE, state: { state: 'DOWN', reasonCode: 'jam' }, kpi: { oee: expect.any(Number), goodCount: 900 } },
      { __typename: 'Asset', id: LINE_ASSETS[1], lineId: LINE, state: { state: 'DOWN', reasonCode: 'jam' }, kpi: { oee: expect.any(Number), goodCount: 900 } },
      null,
      { __typename: 'Asset', id: LINE_ASSETS[2], lineId: LINE, state: { state: 'DOWN', reasonCode: 'jam' }, kpi: null },
      { __typename: 'Line', id: 'line-it-2a', plantId: OTHER_PLANT },
      { __typename: 'Plant', id: PLANT, enterpriseId: 'acme' },
    ]);
    const batches = (name: 'getAssets' | 'getAssetStatuses' | 'getCurrentKpis') => subgraph.calls.get(name) ?? [];
    expect(batches('getAssets')).toEqual([[LINE_ASSETS[0], LINE_ASSETS[1], 'asset-unknown', LINE_ASSETS[2]]]);
    expect(batches('getAssetStatuses')).toHaveLength(1);
    expect(batches('getCurrentKpis')).toHaveLength(1);
    expect(subgraph.calls.get('listPlants')).toHaveLength(1);
  });
});

describe('hierarchy queries', () => {
  it('lists plants with their lines', async () => {
    const { data } = await gql(subgraph.url, '{ plants { id lines { id plantId } } }');
    const plants = [...data.plants].sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id));
    expect(plants).toEqual([
      { id: PLANT, lines: expect.arrayContaining([{ id: LINE, plantId: PLANT }, { id: 'line-it-1b', plantId: PLANT }]) },
      { id: OTHER_PLANT, lines: [{ id: 'line-it-2a', plantId: OTHER_PLANT }] },
    ]);
  });

  it('pages through the assets of a line with cursors, every asset once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const { data, errors }: any = await gql(
        subgraph.url,
        'query ($id: ID!, $after: String) { line(id: $id) { assets(first: 3, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }',
        { id: LINE, after },
      );
      expect(errors).toBeUndefined();
      const { edges, pageInfo } = data.line.assets;
      seen.push(...edges.map((e: { node: { id: string } }) => e.node.id));
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 10);
    expect(seen).toEqual(LINE_ASSETS);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('continues after a cursor taken from the middle of a page', async () => {
    const query = 'query ($after: String) { line(id: "line-it-1a") { assets(first: 3, after: $after) { edges { cursor node { id } } } } }';
    const first = await gql(subgraph.url, query, { after: null });
    const next = await gql(subgraph.url, query, { after: first.data.line.assets.edges[0].cursor });
    expect(next.data.line.assets.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(LINE_ASSETS.slice(1, 4));
  });

  it('serves an asset with its state, sensors and KPI figures of the requested window', async () => {
    const { data, errors } = await gql(
      subgraph.url,
      `{ asset(id: "${LINE_ASSETS[0]}") {
          id line { id } plant { id }
          state { state since reasonCode }
          sensors { measure value unit quality }
          quarter: kpi { window oee availability performance quality goodCount scrapCount runSeconds downtimeSeconds downtimeByReason { reasonCode seconds } }
          minute: kpi(window: ONE_MINUTE) { window goodCount }
          day: kpi(window: DAY) { goodCount }
      } }`,
    );
    expect(errors).toBeUndefined();
    const { asset } = data;
    expect(asset.state).toEqual({ state: 'DOWN', since: '2026-03-02T08:05:00.000Z', reasonCode: 'jam' });
    expect(asset.sensors).toEqual([
      { measure: 'temperature', value: 71.5, unit: 'C', quality: 'GOOD' },
      { measure: 'vibration', value: 3.2, unit: 'mm/s', quality: 'UNCERTAIN' },
    ]);
    const availability = COUNTERS.runMs / (COUNTERS.runMs + COUNTERS.downMs);
    const performance = COUNTERS.idealMs / COUNTERS.runMs;
    const quality = COUNTERS.goodCount / (COUNTERS.goodCount + COUNTERS.scrapCount);
    expect(asset.quarter).toEqual({
      window: 'FIFTEEN_MINUTES',
      oee: expect.closeTo(availability * performance * quality, 5),
      availability: expect.closeTo(availability, 5),
      performance: expect.closeTo(performance, 5),
      quality: expect.closeTo(quality, 5),
      goodCount: 900,
      scrapCount: 100,
      runSeconds: 600,
      downtimeSeconds: 300,
      downtimeByReason: [{ reasonCode: 'jam', seconds: 300 }],
    });
    expect(asset.minute).toEqual({ window: 'ONE_MINUTE', goodCount: 900 });
    expect(asset.day).toBeNull();
    expect(asset.line.id).toBe(LINE);
  });

  it('serves line and plant KPIs', async () => {
    const { data } = await gql(subgraph.url, `{ line(id: "${LINE}") { kpi { scope scopeId goodCount } } plant(id: "${PLANT}") { kpi { scope goodCount } } }`);
    expect(data.line.kpi).toEqual({ scope: 'LINE', scopeId: LINE, goodCount: 900 });
    expect(data.plant.kpi).toEqual({ scope: 'PLANT', goodCount: 900 });
  });

  it('reads the KPIs of all assets of a page in one batch', async () => {
    const { errors } = await gql(subgraph.url, `{ line(id: "${LINE}") { assets(first: 7) { edges { node { kpi { oee } state { state } } } } } }`);
    expect(errors).toBeUndefined();
    expect(subgraph.calls.get('getCurrentKpis')).toHaveLength(1);
    expect((subgraph.calls.get('getCurrentKpis')![0] as unknown[]).length).toBe(7);
    expect(subgraph.calls.get('getAssetStatuses')).toHaveLength(1);
  });
});

describe('errors', () => {
  it('answers NOT_FOUND for an unknown asset, line or plant', async () => {
    const { data, errors } = await gql(subgraph.url, '{ asset(id: "nope") { id } line(id: "nope") { id } plant(id: "nope") { id } }');
    expect(data).toEqual({ asset: null, line: null, plant: null });
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    expect(errors?.find((e) => e.path?.[0] === 'asset')?.message).toBe('Asset "nope" not found');
  });

  it.each([
    ['an empty id', '{ asset(id: "") { id } }'],
    ['an id over 128 characters', `{ asset(id: "${'x'.repeat(129)}") { id } }`],
    ['a page size over 100', `{ line(id: "${LINE}") { assets(first: 101) { edges { cursor } } } }`],
    ['a page size of 0', '{ alerts(first: 0) { edges { cursor } } }'],
    ['a forged cursor', `{ line(id: "${LINE}") { assets(after: "forged!") { edges { cursor } } } }`],
    ['a cursor the store did not issue', `{ alerts(after: "${Buffer.from('{"a":"bm9wZQ","s":0}').toString('base64url')}") { edges { cursor } } }`],
    ['an unknown enum value', '{ alerts(filter: { minSeverity: SEVERE }) { edges { cursor } } }'],
  ])('answers BAD_USER_INPUT (or validation) for %s, without a stack trace', async (_case, query) => {
    const { errors } = await gql(subgraph.url, query);
    expect(errors).toHaveLength(1);
    expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(errors![0].extensions?.code);
    expect(errors![0].extensions).not.toHaveProperty('stacktrace');
  });

  it('reports a bad argument as BAD_USER_INPUT specifically', async () => {
    const { errors } = await gql(subgraph.url, `{ line(id: "${LINE}") { assets(first: 101) { edges { cursor } } } }`);
    expect(errors?.[0]).toMatchObject({ message: 'first: must be between 1 and 100', extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('alerts', () => {
  it('filters by plant and minimum severity, newest first, in pages', async () => {
    const query = `query ($after: String) { alerts(filter: { plantId: "${PLANT}", minSeverity: MAJOR }, first: 1, after: $after) {
      edges { node { id severity plantId asset { id } } } pageInfo { hasNextPage endCursor } } }`;
    const first = await gql(subgraph.url, query, { after: null });
    expect(first.errors).toBeUndefined();
    const second = await gql(subgraph.url, query, { after: first.data.alerts.pageInfo.endCursor });
    const nodes = [...first.data.alerts.edges, ...second.data.alerts.edges].map((e: { node: unknown }) => e.node);
    const expected = ALERTS.filter((a) => a.plantId === PLANT && (a.severity === 'major' || a.severity === 'critical'))
      .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
      .map((a) => ({ id: a.alertId, severity: a.severity.toUpperCase(), plantId: PLANT, asset: { id: a.assetId } }));
    expect(nodes).toEqual(expected.slice(0, 2));
    expect(first.data.alerts.pageInfo.hasNextPage).toBe(true);
  });

  it('acknowledges an open alert as the subject of the verified identity, and only once', async () => {
    const mutation = 'mutation ($id: ID!) { acknowledgeAlert(alertId: $id) { id status acknowledgedBy acknowledgedAt } }';
    const operator7 = await internalIdentity(testIdentity('operator', '*', 'operator-7'));
    const { data, errors } = await gql(subgraph.url, mutation, { id: 'alert-it-1' }, operator7);
    expect(errors).toBeUndefined();
    expect(data.acknowledgeAlert).toMatchObject({ id: 'alert-it-1', status: 'ACKNOWLEDGED', acknowledgedBy: 'operator-7' });
    const again = await gql(subgraph.url, mutation, { id: 'alert-it-1' }, await internalIdentity(testIdentity('operator', '*', 'someone-else')));
    expect(again.data.acknowledgeAlert.acknowledgedBy).toBe('operator-7');
    const listed = await gql(subgraph.url, `{ alerts(filter: { plantId: "${PLANT}", status: ACKNOWLEDGED }) { edges { node { id } } } }`);
    expect(listed.data.alerts.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(['alert-it-1']);
  });

  it('ignores a forged x-user-id: the user is the verified identity’s subject', async () => {
    const headers = { ...(await internalIdentity(testIdentity('operator', '*', 'operator-9'))), 'x-user-id': 'forged-admin' };
    const { data } = await gql(subgraph.url, 'mutation { acknowledgeAlert(alertId: "alert-it-2") { acknowledgedBy } }', {}, headers);
    expect(data.acknowledgeAlert.acknowledgedBy).toBe('operator-9');
  });

  it('answers NOT_FOUND when acknowledging an unknown alert', async () => {
    const { errors } = await gql(subgraph.url, 'mutation { acknowledgeAlert(alertId: "alert-nope") { id } }');
    expect(errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('observability', () => {
  it('counts operations and their duration by operation name', async () => {
    await gql(subgraph.url, 'query PlantDirectory { plants { id } }');
    await gql(subgraph.url, 'query PlantDirectory { plants { id } }');
    const metrics = await (await fetch(subgraph.url.replace('/graphql', '/metrics'))).text();
    const sample = (name: string) => metrics.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes('operation_name="PlantDirectory"'));
    expect(sample('graphql_operations_total')).toMatch(/operation_type="query".*\} 2$/);
    expect(sample('graphql_operations_total')).toContain('outcome="ok"');
    expect(sample('graphql_operation_duration_seconds_count')).toMatch(/\} 2$/);
  });

  it('reports the KPI table and the change feed healthy', async () => {
    const res = await fetch(subgraph.url.replace('/graphql', '/health'));
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.checks).toMatchObject({ 'dynamodb:plant-kpis': { status: 'ok' }, 'change-feed': { status: 'ok' } });
  });
});

it('covers every asset of the fixture directory', () => {
  // Guards the fixture itself: the pagination test needs more assets than one page.
  expect(hierarchies.filter((h) => h.lineId === LINE)).toHaveLength(LINE_ASSETS.length);
});
