import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { accessToken, internalIdentity, testIdentity } from '../../../test/support/auth-tokens';
import { writeFixtures } from './support/kpi-fixtures';
import { RunningSubgraph, startSubgraph } from './support/kpi-subgraph.harness';

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

const post = (headers: Record<string, string>) =>
  fetch(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ plants { id } }' }) });

/** The close code of a graphql-ws connection that presents `connectionParams`. */
async function wsCloseCode(connectionParams: Record<string, unknown>): Promise<number | 'acknowledged'> {
  const client = createClient({ url: subgraph.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, connectionParams });
  try {
    return await new Promise((resolve) => {
      client.on('connected', () => resolve('acknowledged'));
      client.on('closed', (event) => resolve((event as { code: number }).code));
    });
  } finally {
    await client.dispose();
  }
}

describe('gateway → subgraph trust (direct calls to the subgraph port)', () => {
  it('answers 401 UNAUTHENTICATED without the internal identity, with a forged one, or with a caller’s own JWT', async () => {
    const forged = await internalIdentity(testIdentity('admin'), 'a-secret-only-the-attacker-knows-0123456789');
    for (const headers of [{}, forged, { 'x-plant-identity': await accessToken('admin') }, { 'x-user-id': 'admin' }]) {
      const res = await post(headers);
      const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      expect({ status: res.status, code: body.errors?.[0]?.extensions?.code, data: body.data ?? null }).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
        data: null,
      });
    }
  });

  it('serves a request carrying the gateway-signed identity', async () => {
    const res = await post(await internalIdentity());
    expect(res.status).toBe(200);
  });

  it('keeps /health and /metrics open', async () => {
    expect((await fetch(subgraph.url.replace('/graphql', '/health/live'))).status).toBe(200);
    expect((await fetch(subgraph.url.replace('/graphql', '/metrics'))).status).toBe(200);
  });

  it('refuses a graphql-ws connection without a valid identity (4403) and accepts the gateway’s', async () => {
    expect(await wsCloseCode({})).toBe(4403);
    expect(await wsCloseCode(await internalIdentity(testIdentity(), 'a-secret-only-the-attacker-knows-0123456789'))).toBe(4403);
    expect(await wsCloseCode(await internalIdentity())).toBe('acknowledged');
  });
});
