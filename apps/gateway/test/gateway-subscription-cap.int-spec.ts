import { FixtureProcess, spawnFixtureProcess } from '../../../test/federation-fixtures/fixture-process';
import { accessToken } from '../../../test/support/auth-tokens';
import { clientHeaders, RunningGateway, startGateway } from './gateway-harness';
import { SubscriptionProbe } from './subscription-probe';

const SUBSCRIPTION = 'subscription { kpiUpdated(assetId: "asset-1-1") { sequence } }';

describe('gateway: concurrent subscriptions per token (graphql-ws and SSE together)', () => {
  let fixtures: FixtureProcess;
  let gateway: RunningGateway;
  const open: SubscriptionProbe[] = [];
  /** One real access token per name (each its own subject): the cap counts per token. */
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    for (const name of ['cap-a', 'cap-b', 'cap-limits', 'cap-sse']) tokens[name] = await accessToken('admin', undefined, { subject: name });
    fixtures = await spawnFixtureProcess();
    gateway = await startGateway(fixtures.supergraphSdl, { GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN: '2' });
  });

  afterAll(async () => {
    await Promise.all(open.map((p) => p.close()));
    await gateway.stop();
    await fixtures.stop();
  });

  const subscribe = (token: string) => {
    const probe = new SubscriptionProbe(gateway.wsUrl, SUBSCRIPTION, { authorization: `Bearer ${tokens[token]}` });
    open.push(probe);
    return probe;
  };
  const emitUntil = async (probes: SubscriptionProbe[]) => {
    const deadline = Date.now() + 10_000;
    while (probes.some((p) => !p.events.some((e) => e.data || e.errors)) && Date.now() < deadline) {
      fixtures.send({ type: 'emit', assetId: 'asset-1-1' });
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const refusal = (probe: SubscriptionProbe) => probe.until((p) => p.events.some((e) => e.errors) || p.error !== undefined, 10_000, 'a refusal');
  const codeOf = (probe: SubscriptionProbe) => probe.events.flatMap((e) => e.errors ?? [])[0]?.extensions?.code;

  it('refuses a third subscription of one token with TOO_MANY_SUBSCRIPTIONS, and takes one again after a close', async () => {
    const [a, b] = [subscribe('cap-a'), subscribe('cap-a')];
    await emitUntil([a, b]);
    const third = subscribe('cap-a');
    await refusal(third);
    expect(codeOf(third)).toBe('TOO_MANY_SUBSCRIPTIONS');

    const other = subscribe('cap-b');
    await emitUntil([other]);
    expect(other.events.some((e) => e.errors)).toBe(false);

    await a.close();
    // The slot comes back once the gateway has seen the close: retry briefly rather than sleep.
    let again = subscribe('cap-a');
    for (let attempt = 0; attempt < 20; attempt++) {
      await emitUntil([again]);
      if (!again.events.some((e) => e.errors)) break;
      await again.close();
      again = subscribe('cap-a');
    }
    expect(again.events.some((e) => e.data && !e.errors)).toBe(true);
  });

  it('applies the operation limits to graphql-ws subscriptions too', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ');
    const probe = new SubscriptionProbe(gateway.wsUrl, `subscription { kpiUpdated(assetId: "asset-1-1") { asset { ${aliases} } } }`, {
      authorization: `Bearer ${tokens['cap-limits']}`,
    });
    open.push(probe);
    await refusal(probe);
    const errors = (probe.error ?? probe.events.flatMap((e) => e.errors ?? [])) as { extensions?: { code?: string } }[];
    expect(errors.map((e) => e.extensions?.code)).toContain('MAX_ALIASES_LIMIT');
  });

  it('counts SSE subscriptions against the same cap', async () => {
    const [a, b] = [subscribe('cap-sse'), subscribe('cap-sse')];
    await emitUntil([a, b]);
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: clientHeaders({ accept: 'text/event-stream', authorization: `Bearer ${tokens['cap-sse']}` }),
      body: JSON.stringify({ query: SUBSCRIPTION }),
    });
    const text = await res.text();
    expect(text).toContain('TOO_MANY_SUBSCRIPTIONS');
  });
});
