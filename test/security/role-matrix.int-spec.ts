import type { Role } from '@plant/auth';
import { postGraphQL } from '../../apps/gateway/test/gateway-harness';
import { SubscriptionProbe } from '../../apps/gateway/test/subscription-probe';
import { alertOf, LINE, OTHER_PLANT, PLANT } from '../../apps/kpi-subgraph/test/support/kpi-fixtures';
import { accessToken, bearer } from '../support/auth-tokens';
import { alertChanged, kpiUpdated, SecuredPlatform, startSecuredPlatform } from './secured-platform';

/**
 * Role × operation matrix through the real gateway and the real kpi and history subgraphs: what
 * each role may do (allowed), may not (the error code, the rest of the answer served) and what it
 * sees (a partner of PLANT sees PLANT only). Roles and plants come from signed tokens only.
 */
const ROLES: Role[] = ['operator', 'analyst', 'data_scientist', 'partner', 'admin'];
const PLANTS_OF: Record<Role, string[] | undefined> = { operator: undefined, analyst: undefined, data_scientist: undefined, partner: [PLANT], admin: undefined };
const OWN_ASSET = 'asset-it-01';
const FOREIGN_ASSET = 'asset-it-2a-1';
const FOREIGN_LINE = 'line-it-2a';
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

let platform: SecuredPlatform;
const headersOf = (role: Role) => bearer(role, PLANTS_OF[role], { subject: `${role}-1` });
const gql = async (role: Role, query: string) => (await postGraphQL(platform.gateway.url, query, undefined, await headersOf(role))).body;
const probes: SubscriptionProbe[] = [];
const subscribe = async (role: Role, query: string, token?: string) => {
  const probe = new SubscriptionProbe(platform.gateway.wsUrl, query, { authorization: `Bearer ${token ?? (await accessToken(role, PLANTS_OF[role], { subject: `${role}-1` }))}` });
  probes.push(probe);
  return probe;
};
/** Publishes until the probe has an event (the upstream subscription may still be starting). */
const publishUntil = async (probe: SubscriptionProbe, publish: () => Promise<void>, done: (p: SubscriptionProbe) => boolean) => {
  for (let i = 0; i < 40 && !done(probe) && !probe.error; i++) {
    await publish();
    await probe.until(done, 300).catch(() => undefined);
  }
};

/**
 * A refused subscription: one error, no data, then complete. The kpi-subgraph refuses with FORBIDDEN
 * (apps/kpi-subgraph/test/plant-scoping.int-spec.ts); the gateway's error masking (mask-error.ts,
 * issue 8 item 6) does not pass subscription error codes through yet, so the code is not asserted here.
 */
async function expectRefused(probe: SubscriptionProbe): Promise<void> {
  await probe.until((p) => p.completed, 5_000, 'completion');
  expect(probe.events).toHaveLength(1);
  expect(probe.events[0].data ?? null).toBeNull();
  expect(codes(probe.events[0])).toHaveLength(1);
}

beforeAll(async () => {
  platform = await startSecuredPlatform();
}, 90_000);

afterAll(async () => {
  await Promise.all(probes.splice(0).map((p) => p.close()));
  await platform?.stop();
});

describe.each(ROLES)('%s', (role) => {
  const partner = role === 'partner';

  it(partner ? 'sees only its own plant in plants and lines' : 'sees every plant', async () => {
    const body = await gql(role, '{ plants { id lines { id } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.plants.map((p: { id: string }) => p.id).sort()).toEqual(partner ? [PLANT] : [PLANT, OTHER_PLANT]);
  });

  it(partner ? 'gets another plant’s plant and line answered exactly like missing ids' : 'reads another plant’s plant and line', async () => {
    const body = await gql(role, `{ plant(id: "${OTHER_PLANT}") { id } line(id: "${FOREIGN_LINE}") { id plantId } }`);
    if (!partner) return expect(body).toEqual({ data: { plant: { id: OTHER_PLANT }, line: { id: FOREIGN_LINE, plantId: OTHER_PLANT } } });
    const missing = await gql(role, `{ plant(id: "no-plant") { id } line(id: "no-line") { id plantId } }`);
    expect(body.data).toEqual({ plant: null, line: null });
    expect(codes(body)).toHaveLength(2);
    expect(body).toEqual(JSON.parse(JSON.stringify(missing).replace('no-plant', OTHER_PLANT).replace('no-line', FOREIGN_LINE)));
  });

  it(partner ? 'lists alerts of its plant with acknowledgedBy null and UNAUTHORIZED_FIELD_OR_TYPE' : 'lists alerts with who acknowledged them', async () => {
    const body = await gql(role, '{ alerts(first: 50) { edges { node { id plantId acknowledgedBy } } } }');
    const nodes: { plantId: string; acknowledgedBy: unknown }[] = body.data.alerts.edges.map((e: { node: unknown }) => e.node);
    expect(new Set(nodes.map((n) => n.plantId))).toEqual(new Set(partner ? [PLANT] : [PLANT, OTHER_PLANT]));
    if (partner) {
      expect(nodes.every((n) => n.acknowledgedBy === null)).toBe(true);
      expect(new Set(codes(body))).toEqual(new Set(['UNAUTHORIZED_FIELD_OR_TYPE']));
    } else expect(body.errors).toBeUndefined();
  });

  it('reads the trend of an asset of its plants from the history subgraph', async () => {
    const body = await gql(role, `{ asset(id: "${OWN_ASSET}") { id trend(measure: "temperature", last: "1h", bucket: "1m") { points { avg } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.asset.trend.points.length).toBeGreaterThan(0);
  });

  const mayAcknowledge = role === 'operator' || role === 'admin';
  it(mayAcknowledge ? 'acknowledges an alert as its own subject' : 'may not acknowledge an alert (UNAUTHORIZED_FIELD_OR_TYPE, alert unchanged)', async () => {
    const alertId = `alert-it-${ROLES.indexOf(role) + 1}`;
    const body = await gql(role, `mutation { acknowledgeAlert(alertId: "${alertId}") { id status } }`);
    const after = await gql('admin', `{ alerts(first: 50) { edges { node { id status acknowledgedBy } } } }`);
    const alert = after.data.alerts.edges.map((e: { node: unknown }) => e.node).find((n: { id: string }) => n.id === alertId);
    if (mayAcknowledge) {
      expect(body).toEqual({ data: { acknowledgeAlert: { id: alertId, status: 'ACKNOWLEDGED' } } });
      expect(alert).toEqual({ id: alertId, status: 'ACKNOWLEDGED', acknowledgedBy: `${role}-1` });
    } else {
      expect(codes(body)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
      expect(body.data?.acknowledgeAlert ?? null).toBeNull();
      expect(alert.status).toBe('OPEN');
    }
  });

  it(partner ? 'is refused kpiUpdated of another plant’s asset (FORBIDDEN) and served its own' : 'subscribes to kpiUpdated of any plant', async () => {
    const foreign = await subscribe(role, `subscription { kpiUpdated(assetId: "${FOREIGN_ASSET}") { scopeId } }`);
    const own = await subscribe(role, `subscription { kpiUpdated(assetId: "${OWN_ASSET}") { scopeId asset { id } } }`);
    const hasEvent = (p: SubscriptionProbe) => p.events.length > 0;
    await publishUntil(own, () => platform.publish([kpiUpdated(FOREIGN_ASSET), kpiUpdated(OWN_ASSET)]), (p) => hasEvent(p) && hasEvent(foreign));
    expect(own.events[0]).toEqual({ data: { kpiUpdated: { scopeId: OWN_ASSET, asset: { id: OWN_ASSET } } } });
    if (partner) await expectRefused(foreign);
    else expect(foreign.events[0]).toEqual({ data: { kpiUpdated: { scopeId: FOREIGN_ASSET } } });
  });

  it(partner ? 'gets only its plant’s alerts from alertRaised without a plant, and FORBIDDEN for another plant' : 'gets every plant’s alerts from alertRaised', async () => {
    const all = await subscribe(role, 'subscription { alertRaised { id plantId } }');
    const other = await subscribe(role, `subscription { alertRaised(plantId: "${OTHER_PLANT}") { id } }`);
    const n = 100 + ROLES.indexOf(role) * 10;
    const foreignAlert = alertOf(n, { plantId: OTHER_PLANT, lineId: 'line-it-2a', assetId: FOREIGN_ASSET });
    const ownAlert = alertOf(n + 1, { plantId: PLANT, lineId: LINE, assetId: OWN_ASSET });
    await publishUntil(all, () => platform.publish([alertChanged(foreignAlert), alertChanged(ownAlert)]), (p) =>
      p.events.some((e) => e.data?.alertRaised?.plantId === PLANT) && other.events.length > 0,
    );
    const plants = new Set(all.events.map((e) => e.data.alertRaised.plantId));
    expect(plants).toEqual(new Set(partner ? [PLANT] : [PLANT, OTHER_PLANT]));
    if (partner) await expectRefused(other);
    else expect(other.events[0].data.alertRaised.id).toBe(foreignAlert.alertId);
  });
});
