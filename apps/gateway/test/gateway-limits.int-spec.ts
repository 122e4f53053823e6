import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@plant/auth';
import { accessToken } from '../../../test/support/auth-tokens';
import { clientHeaders, postGraphQL, RunningGateway, startGateway } from './gateway-harness';
import { ProbeSubgraph, startProbeSubgraph } from './support/probe-subgraph';
import { composeSupergraph } from '../../../tools/compose/compose-supergraph';
import { probeSubgraphSdl } from './support/probe-subgraph';

/** NODE_ENV=production refuses the well-known local secret: this gateway verifies tokens signed with its own. */
const PRODUCTION_SECRET = 'limits-test-production-secret-0123456789';
const LISTED = '{ ping }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const TOKENS = 60;
let pool: string[] = [];
let tokens = 0;
/** Every call takes its own admin token, so the per-token rate limit of one test never touches another. */
const bearer = () => ({ authorization: `Bearer ${pool[tokens++ % TOKENS]}` });
/** A caller of `role` (a partner of plant plt1). */
const as = async (role: Role) => ({
  authorization: `Bearer ${await accessToken(role, role === 'partner' ? ['plt1'] : undefined, { secret: PRODUCTION_SECRET, subject: `limits-${role}-${++tokens}` })}`,
});
const codesOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

describe('gateway limits (probe subgraph, NODE_ENV=production)', () => {
  let probe: ProbeSubgraph;
  let gateway: RunningGateway;

  beforeAll(async () => {
    pool = await Promise.all(Array.from({ length: TOKENS }, (_, i) => accessToken('admin', undefined, { secret: PRODUCTION_SECRET, subject: `limits-test-${i}` })));
    probe = await startProbeSubgraph();
    const manifest = join(mkdtempSync(join(tmpdir(), 'limits-')), 'persisted.json');
    writeFileSync(manifest, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256(LISTED), body: LISTED }] }));
    gateway = await startGateway(
      probe.supergraphSdl,
      {
        NODE_ENV: 'production',
        GATEWAY_RESPONSE_CACHE_TTL_MS: '0',
        GATEWAY_MAX_COST: '1000',
        GATEWAY_RATE_LIMIT_PER_TOKEN: '20',
        // Every test here sends valid tokens; only made-up ones count against the IP.
        GATEWAY_RATE_LIMIT_PER_IP: '20',
        GATEWAY_REQUEST_TIMEOUT_MS: '1000',
        GATEWAY_PERSISTED_OPERATIONS_PATH: manifest,
        JWT_HS256_SECRET: PRODUCTION_SECRET,
      },
    );
  });

  afterAll(async () => {
    await gateway.stop();
    await probe.stop();
  });

  const post = (query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) =>
    postGraphQL(gateway.url, query, variables, { ...bearer(), ...headers });

  it.each([
    ['MAX_DEPTH_LIMIT', `{ item { ${'child { '.repeat(10)}id${' }'.repeat(10)} } }`],
    ['MAX_ALIASES_LIMIT', `{ item { ${Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ')} } }`],
    ['MAX_ROOT_FIELDS_LIMIT', `{ ${Array.from({ length: 11 }, () => 'ping').join(' ')} }`],
    ['MAX_TOKENS_LIMIT', `{ item { ${'id '.repeat(1_000)}} }`],
    ['MAX_DIRECTIVES_LIMIT', `{ item { ${Array.from({ length: 21 }, () => 'id @include(if: true)').join(' ')} } }`],
    ['COST_ESTIMATED_TOO_EXPENSIVE', '{ items(first: 100) { children(first: 100) { id } } }'],
  ])('refuses an operation over its limit with %s (HTTP 400), before any subgraph call', async (code, query) => {
    const before = probe.requests;
    const res = await post(query);
    expect(res.status).toBe(400);
    expect(codesOf(res.body)).toContain(code);
    expect(probe.requests).toBe(before);
  });

  it('estimates cost with the first/last values of variables', async () => {
    const query = 'query Q($n: Int!) { items(first: $n) { children(first: $n) { id } } }';
    expect((await post(query, {}, { n: 5 })).body.data.items).toHaveLength(5);
    const res = await post(query, {}, { n: 100 });
    expect(codesOf(res.body)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
    expect(res.body.errors?.[0].extensions?.cost).toEqual({ estimated: 10_100, max: 1_000 });
  });

  it('answers malformed JSON, batches and oversized bodies with a code', async () => {
    const send = (body: string) => fetch(gateway.url, { method: 'POST', headers: clientHeaders(bearer()), body });
    const malformed = await send('{"query": ');
    expect([malformed.status, codesOf((await malformed.json()) as never)]).toEqual([400, ['BAD_REQUEST']]);
    const batch = await send(JSON.stringify([{ query: LISTED }, { query: LISTED }]));
    expect([batch.status, codesOf((await batch.json()) as never)]).toEqual([400, ['BAD_REQUEST']]);
    const big = await send(JSON.stringify({ query: LISTED, variables: { pad: 'x'.repeat(200_000) } }));
    expect([big.status, codesOf((await big.json()) as never)]).toEqual([413, ['PAYLOAD_TOO_LARGE']]);
  });

  it('passes a subgraph’s own error codes and messages through unchanged', async () => {
    const bad = await post('{ badInput(first: 1000) }');
    expect(bad.body.errors).toEqual([
      { message: 'first: must be between 1 and 100', path: ['badInput'], extensions: { code: 'BAD_USER_INPUT', argument: 'first' } },
    ]);
    const missing = await post('{ missing ping }');
    expect(missing.body.data).toEqual({ missing: null, ping: 'pong' });
    expect(codesOf(missing.body)).toEqual(['NOT_FOUND']);
  });

  it('answers DOWNSTREAM_SERVICE_ERROR for a 5xx without a GraphQL body', async () => {
    probe.failWithoutGraphQL = true;
    try {
      const res = await post('{ item { id } }');
      expect(res.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'probe' }]);
    } finally {
      probe.failWithoutGraphQL = false;
    }
  });

  it('answers 429 with Retry-After once a token exceeds its rate, other tokens unaffected', async () => {
    const headers = bearer();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => fetch(gateway.url, { method: 'POST', headers: clientHeaders(headers), body: JSON.stringify({ query: LISTED }) })),
    );
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(codesOf((await limited[0].json()) as never)).toEqual(['RATE_LIMITED']);
    expect((await post(LISTED)).status).toBe(200);
  });

  it('counts requests with made-up tokens against their IP: a fresh token per request does not escape the limit', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(gateway.url, { method: 'POST', headers: clientHeaders({ authorization: `Bearer made-up-${i}` }), body: JSON.stringify({ query: LISTED }) }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    expect(statuses.every((s) => s === 429 || s === 401)).toBe(true);
    expect((await post(LISTED)).status).toBe(200);
  });

  it('cancels the subgraph request when the request deadline passes (504 GATEWAY_TIMEOUT)', async () => {
    const aborted = probe.aborted;
    const started = Date.now();
    const res = await fetch(gateway.url, { method: 'POST', headers: clientHeaders(bearer()), body: JSON.stringify({ query: '{ slow(ms: 10000) }' }) });
    expect(res.status).toBe(504);
    expect(codesOf((await res.json()) as never)).toEqual(['GATEWAY_TIMEOUT']);
    expect(Date.now() - started).toBeLessThan(5_000);
    await until(() => probe.aborted > aborted, 'the subgraph sees its request aborted');
  });

  it('cancels the subgraph request when the client goes away', async () => {
    const aborted = probe.aborted;
    const slowStarted = probe.slowStarted;
    const client = new AbortController();
    const pending = fetch(gateway.url, {
      method: 'POST',
      headers: clientHeaders(bearer()),
      body: JSON.stringify({ query: '{ slow(ms: 10000) }' }),
      signal: client.signal,
    }).catch(() => 'aborted');
    await until(() => probe.slowStarted > slowStarted, 'the subgraph started the slow field');
    client.abort();
    expect(await pending).toBe('aborted');
    await until(() => probe.aborted > aborted, 'the subgraph sees its request aborted');
  });

  it('refuses introspection and hides field suggestions from non-admins, serves both to admins', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    const partner = await post(introspection, await as('analyst'));
    expect(codesOf(partner.body)).toContain('INTROSPECTION_DISABLED');
    const admin = await post(introspection, await as('admin'));
    expect(admin.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });

    // Admin first, so a cached validation result of the admin's request cannot leak to the analyst.
    const typo = '{ pingg }';
    expect((await post(typo, await as('admin'))).body.errors?.[0].message).toContain('Did you mean "ping"?');
    const hidden = await post(typo, await as('analyst'));
    expect(hidden.body.errors?.[0].message).toBe('Cannot query field "pingg" on type "Query".');
    expect(codesOf(hidden.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('lets partners run only the allow-listed operations, by text or by hash', async () => {
    const partner = await as('partner');
    expect(codesOf((await post('{ item { id } }', partner)).body)).toEqual(['PERSISTED_QUERY_REQUIRED']);
    expect((await post(LISTED, partner)).body.data).toEqual({ ping: 'pong' });
    const byHash = await fetch(gateway.url, {
      method: 'POST',
      headers: clientHeaders({ ...bearer(), ...partner }),
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(LISTED) } } }),
    });
    expect(((await byHash.json()) as { data: unknown }).data).toEqual({ ping: 'pong' });
    expect((await post('{ item { id } }', await as('analyst'))).body.data).toEqual({ item: { id: 'root' } });
  });

  it('serves automatic persisted queries: unknown hash, then registered with its text, then by hash', async () => {
    const query = '{ item { id child { id } } }';
    const send = (body: Record<string, unknown>) =>
      fetch(gateway.url, { method: 'POST', headers: clientHeaders(bearer()), body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    expect(codesOf(await send({ extensions }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await send({ query, extensions })).data.item.id).toBe('root');
    expect((await send({ extensions })).data.item.child.id).toBe('root.c');
    const wrong = { persistedQuery: { version: 1, sha256Hash: sha256('{ ping }') } };
    expect(codesOf(await send({ query, extensions: wrong }))).toEqual(['PERSISTED_QUERY_HASH_MISMATCH']);
  });
});

describe('gateway in front of a hung, then unreachable subgraph (NODE_ENV=development)', () => {
  let hung: Server;
  const sockets = new Set<Socket>();
  let gateway: RunningGateway;

  beforeAll(async () => {
    // Accepts connections and never answers: a subgraph stuck in a loop or out of memory.
    hung = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hung.address() as { port: number }).port}/graphql`;
    gateway = await startGateway(composeSupergraph([{ name: 'probe', url, sdl: probeSubgraphSdl }]), {
      NODE_ENV: 'development',
      GATEWAY_UPSTREAM_TIMEOUT_MS: '500',
    });
  });

  afterAll(async () => {
    await gateway.stop();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => hung.close(() => r()));
  });

  it('is not ready while the subgraph hangs, and names it', async () => {
    const started = Date.now();
    const res = await fetch(`${gateway.baseUrl}/health`);
    const report = (await res.json()) as { checks: Record<string, { status: string }> };
    expect(res.status).toBe(503);
    expect(report.checks['subgraph:probe'].status).toBe('failed');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers DOWNSTREAM_SERVICE_ERROR when the subgraph times out, then when it refuses connections', async () => {
    const timedOut = await postGraphQL(gateway.url, '{ ping }');
    expect(timedOut.body.errors?.[0].extensions).toEqual({ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'probe' });
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => hung.close(() => r()));
    hung = createServer(); // closed port from here on; afterAll closes this one
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const refused = await postGraphQL(gateway.url, '{ item { id } }');
    expect(refused.body.errors?.[0].extensions).toEqual({ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'probe' });
  });

  it('serves the runtime’s GraphiQL to browsers in development', async () => {
    const res = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/graphiql/i);
  });
});

async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
