import { FixtureProcess, spawnFixtureProcess } from '../../../test/federation-fixtures/fixture-process';
import { metricValue, postGraphQL, RunningGateway, startGateway } from './gateway-harness';
import { SubscriptionProbe } from './subscription-probe';
import { bearer } from '../../../test/support/auth-tokens';

const ASSET = 'asset-1-1';
const KPI_SUBSCRIPTION = /* GraphQL */ `
  subscription { kpiUpdated(assetId: "${ASSET}") { sequence asset { id kpi { goodCount revision } failureRisk resolveCount seenIdentity } } }
`;

describe('federated subscriptions through the gateway (graphql-ws both ways)', () => {
  let fixtures: FixtureProcess;
  let gateway: RunningGateway;
  const probes: SubscriptionProbe[] = [];
  const subscribe = (query = KPI_SUBSCRIPTION, params?: Record<string, unknown>) => {
    const probe = new SubscriptionProbe(gateway.wsUrl, query, params);
    probes.push(probe);
    return probe;
  };
  /** Emits until the probe has one more event: the upstream subscription may still be starting. */
  const emitUntilEvent = async (probe: SubscriptionProbe, assetId = ASSET) => {
    const before = probe.events.length;
    for (let i = 0; i < 50 && probe.events.length === before; i++) {
      fixtures.send({ type: 'emit', assetId });
      await probe.until((p) => p.events.length > before, 200).catch(() => undefined);
    }
    await probe.untilEvents(before + 1, 1_000);
  };

  beforeEach(async () => {
    fixtures = await spawnFixtureProcess();
    gateway = await startGateway(fixtures.supergraphSdl);
  });

  afterEach(async () => {
    await Promise.all(probes.splice(0).map((p) => p.close()));
    await gateway.stop();
    await fixtures.stop();
  });

  it('resolves the other subgraph’s field afresh for every event', async () => {
    const probe = subscribe();
    fixtures.send({ type: 'setRisk', assetId: ASSET, risk: 0.1 });
    await emitUntilEvent(probe);
    fixtures.send({ type: 'setRisk', assetId: ASSET, risk: 0.7 });
    await emitUntilEvent(probe);
    fixtures.send({ type: 'setRisk', assetId: ASSET, risk: 0.3 });
    await emitUntilEvent(probe);

    const assets = probe.events.map((e) => e.data.kpiUpdated.asset);
    expect(assets.map((a) => a.failureRisk)).toEqual([0.1, 0.7, 0.3]);
    // One _entities resolution per event, and the owning subgraph's data moved on too.
    expect(new Set(assets.map((a) => a.resolveCount)).size).toBe(3);
    expect(assets[2].kpi.revision).toBeGreaterThan(assets[0].kpi.revision);
  });

  it('passes the identity verified at connection-init to both subgraphs', async () => {
    const probe = subscribe(KPI_SUBSCRIPTION, await bearer('operator', ['plt1'], { subject: 'op-1' }));
    await emitUntilEvent(probe);
    expect(probe.events[0].data.kpiUpdated.asset.seenIdentity).toBe('op-1 operator plt1');
  });

  it('shares one upstream subscription between identical client subscriptions', async () => {
    const first = subscribe();
    const second = subscribe();
    const third = subscribe();
    await emitUntilEvent(first);
    await Promise.all([second.untilEvents(1), third.untilEvents(1)]);
    expect((await fixtures.stats()).activeUpstreamSubscriptions).toBe(1);
    expect(await metricValue(gateway.baseUrl, /^gateway_subscriptions_active/)).toBe(3);
  });

  it('ends the upstream subscription when the client goes away', async () => {
    const probe = subscribe();
    await emitUntilEvent(probe);
    expect((await fixtures.stats()).activeUpstreamSubscriptions).toBe(1);
    await probe.close();
    const deadline = Date.now() + 5_000;
    while ((await fixtures.stats()).activeUpstreamSubscriptions > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await fixtures.stats()).activeUpstreamSubscriptions).toBe(0);
  });

  it('gives the client an error when the owning subgraph stays down, and keeps serving queries', async () => {
    const probe = subscribe();
    await emitUntilEvent(probe);
    await fixtures.kill();

    // The gateway re-connects 5 times (≈ 8 s of capped backoff) before it gives up on the subgraph.
    await probe.until((p) => p.events.some((e) => e.errors), 25_000, 'an error event');
    const errors = probe.events.flatMap((e) => e.errors ?? []);
    expect(errors[0].extensions.code).toBe('DOWNSTREAM_SERVICE_ERROR');
    expect(errors[0].extensions.serviceName).toBe('assets');

    const res = await postGraphQL(gateway.url, '{ __typename }');
    expect(res.body.data).toEqual({ __typename: 'Query' });
    const down = await postGraphQL(gateway.url, `{ asset(id: "${ASSET}") { id } }`);
    expect(down.body.errors?.[0]?.extensions?.code).toBe('DOWNSTREAM_SERVICE_ERROR');
  }, 60_000);

  it('resumes the stream when the owning subgraph restarts on the same address', async () => {
    const probe = subscribe();
    await emitUntilEvent(probe);
    const ports = { assets: Number(new URL(fixtures.assetsUrl).port), maintenance: Number(new URL(fixtures.maintenanceUrl).port) };
    await fixtures.kill();
    fixtures = await spawnFixtureProcess(ports);

    await emitUntilEvent(probe);
    expect(probe.error).toBeUndefined();
    expect(probe.events.at(-1).data.kpiUpdated.asset.id).toBe(ASSET);
  });
});
