import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FixtureProcess, spawnFixtureProcess } from '../../../test/federation-fixtures/fixture-process';
import { bearer } from '../../../test/support/auth-tokens';
import { metricValue, postGraphQL, RunningGateway, startGateway } from './gateway-harness';

const ASSET = 'asset-2-3';

describe('gateway over HTTP (queries, SSE, errors, cache, health)', () => {
  let fixtures: FixtureProcess;
  let gateway: RunningGateway;

  beforeAll(async () => {
    fixtures = await spawnFixtureProcess();
    gateway = await startGateway(fixtures.supergraphSdl, { GATEWAY_RESPONSE_CACHE_TTL_MS: '1000' });
  });

  afterAll(async () => {
    await gateway.stop();
    await fixtures.stop();
  });

  it('answers a query that spans both subgraphs', async () => {
    const res = await postGraphQL(gateway.url, `{ line(id: "line-2") { name assets { id kpi { oee } failureRisk } } }`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.line.assets).toHaveLength(20);
    expect(res.body.data.line.assets[0]).toEqual({ id: 'asset-2-1', kpi: { oee: expect.any(Number) }, failureRisk: 0.05 });
  });

  it('rejects an invalid query with GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await postGraphQL(gateway.url, `{ asset(id: "${ASSET}") { noSuchField } }`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('rejects unparsable text with GRAPHQL_PARSE_FAILED', async () => {
    const res = await postGraphQL(gateway.url, `{ asset(id: `);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('forwards the verified identity (never the caller’s token) to the owning and the extending subgraph', async () => {
    const res = await postGraphQL(gateway.url, `{ callerIdentity asset(id: "${ASSET}") { seenIdentity } }`, undefined, await bearer('analyst', ['plt1'], { subject: 'analyst-1' }));
    expect(res.body.data).toEqual({ callerIdentity: 'analyst-1 analyst plt1', asset: { seenIdentity: 'analyst-1 analyst plt1' } });
    expect((await fixtures.stats()).assetsHttpRequests).toBeGreaterThan(0);
  });

  it('never serves a cached response to a caller of another scope (role or plants)', async () => {
    const query = '{ callerIdentity }';
    const callers = [bearer('partner', ['plt1'], { subject: 'a' }), bearer('partner', ['plt2'], { subject: 'b' }), bearer('analyst', ['plt1'], { subject: 'c' })];
    const answers = [];
    for (const headers of callers) answers.push((await postGraphQL(gateway.url, query, undefined, await headers)).body.data.callerIdentity);
    expect(answers).toEqual(['a partner plt1', 'b partner plt2', 'c analyst plt1']);
  });

  it('answers 401 UNAUTHENTICATED without a token, and with a bad or expired one', async () => {
    const bad = [null, { authorization: 'Bearer not-a-jwt' }, await bearer('admin', undefined, { ttlSeconds: -60 }), await bearer('admin', undefined, { secret: 'forged-secret-0123456789-0123456789-xx' })];
    for (const headers of bad) {
      const res = await postGraphQL(gateway.url, '{ __typename }', undefined, headers);
      expect({ status: res.status, code: res.body.errors?.[0]?.extensions?.code, data: res.body.data }).toEqual({ status: 401, code: 'UNAUTHENTICATED', data: undefined });
    }
  });

  it('serves cached query results no staler than the 1 s TTL', async () => {
    const query = `{ asset(id: "${ASSET}") { failureRisk } }`;
    fixtures.send({ type: 'setRisk', assetId: ASSET, risk: 0.11 });
    await new Promise((r) => setTimeout(r, 1_100)); // let an earlier cached answer expire
    const cachedAt = Date.now();
    expect((await postGraphQL(gateway.url, query)).body.data.asset.failureRisk).toBe(0.11);
    fixtures.send({ type: 'setRisk', assetId: ASSET, risk: 0.22 });
    await new Promise((r) => setTimeout(r, 50));
    // Still inside the TTL: the cache answers (proves it is on) ...
    expect((await postGraphQL(gateway.url, query)).body.data.asset.failureRisk).toBe(0.11);
    // ... and the new value shows no later than TTL after the cached answer was made.
    let risk = 0.11;
    while (risk === 0.11 && Date.now() - cachedAt < 3_000) {
      await new Promise((r) => setTimeout(r, 20));
      risk = (await postGraphQL(gateway.url, query)).body.data.asset.failureRisk;
    }
    expect(risk).toBe(0.22);
    expect(Date.now() - cachedAt).toBeLessThanOrEqual(1_000 + 250);
  });

  it('drops a cached response when a mutation returns an entity it holds', async () => {
    const asset = 'asset-4-4';
    const query = `{ asset(id: "${asset}") { id kpi { goodCount } } }`;
    const goodCount = async () => (await postGraphQL(gateway.url, query)).body.data.asset.kpi.goodCount as number;
    // Retried until the whole sequence fits in the TTL, so that only invalidation can explain it.
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      await goodCount();
      const before = (await fixtures.stats()).assetsHttpRequests;
      const cached = await goodCount();
      const servedFromCache = (await fixtures.stats()).assetsHttpRequests === before;
      await postGraphQL(gateway.url, `mutation { recordGoodCount(assetId: "${asset}", goodCount: ${cached + 7}) { id } }`);
      const after = await goodCount();
      if (Date.now() - started < 800 || attempt === 5) {
        expect(servedFromCache).toBe(true);
        expect(after).toBe(cached + 7);
        return;
      }
    }
  });

  it('streams a subscription over SSE', async () => {
    const controller = new AbortController();
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(await bearer('operator')) },
      body: JSON.stringify({ query: `subscription { kpiUpdated(assetId: "${ASSET}") { asset { id failureRisk } } }` }),
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const emitter = setInterval(() => fixtures.send({ type: 'emit', assetId: ASSET }), 100);
    try {
      while (!text.includes('event: next')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
    } finally {
      clearInterval(emitter);
      controller.abort();
    }
    const data = JSON.parse(text.split('event: next')[1].split('data: ')[1].split('\n')[0]);
    expect(data.data.kpiUpdated.asset.id).toBe(ASSET);
  });

  it('is ready when the schema is loaded and every subgraph answers', async () => {
    const res = await fetch(`${gateway.baseUrl}/health`);
    const report = (await res.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(res.status).toBe(200);
    expect(Object.keys(report.checks).sort()).toEqual(['subgraph:assets', 'subgraph:maintenance', 'supergraph']);
  });

  it('counts operations by type', async () => {
    const before = (await metricValue(gateway.baseUrl, /^gateway_operations_total\{type="mutation"/)) ?? 0;
    await postGraphQL(gateway.url, `mutation { recordGoodCount(assetId: "${ASSET}", goodCount: 5) { id } }`);
    expect(await metricValue(gateway.baseUrl, /^gateway_operations_total\{type="mutation"/)).toBe(before + 1);
  });
});

describe('gateway readiness without a subgraph', () => {
  it('reports 503 naming the subgraph that does not answer', async () => {
    const fixtures = await spawnFixtureProcess();
    const gateway = await startGateway(fixtures.supergraphSdl);
    try {
      await fixtures.kill();
      const res = await fetch(`${gateway.baseUrl}/health`);
      const report = (await res.json()) as { checks: Record<string, { status: string }> };
      expect(res.status).toBe(503);
      expect(report.checks['subgraph:assets'].status).toBe('failed');
      expect(report.checks.supergraph.status).toBe('ok');
    } finally {
      await gateway.stop();
      await fixtures.stop();
    }
  });
});

describe('gateway with the committed supergraph', () => {
  it('loads the kpi and history schema, subscriptions included', async () => {
    const supergraph = readFileSync(resolve(__dirname, '../supergraph.graphql'), 'utf8');
    const gateway = await startGateway(supergraph);
    try {
      const res = await postGraphQL(gateway.url, '{ __schema { subscriptionType { fields { name } } } __type(name: "Asset") { name } }');
      expect(res.body.data.__schema.subscriptionType.fields.map((f: { name: string }) => f.name)).toEqual(
        expect.arrayContaining(['kpiUpdated', 'alertRaised']),
      );
      expect(res.body.data.__type.name).toBe('Asset');
    } finally {
      await gateway.stop();
    }
  });
});

describe('gateway with GATEWAY_AUTH=off (benchmarks only; refused in production)', () => {
  it('serves callers without a token as the built-in admin of every plant', async () => {
    const fixtures = await spawnFixtureProcess();
    const gateway = await startGateway(fixtures.supergraphSdl, { GATEWAY_AUTH: 'off' });
    try {
      const res = await postGraphQL(gateway.url, '{ callerIdentity }', undefined, null);
      expect(res.body).toEqual({ data: { callerIdentity: 'auth-off admin *' } });
    } finally {
      await gateway.stop();
      await fixtures.stop();
    }
  });
});
