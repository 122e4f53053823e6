import { base64url, UnsecuredJWT } from 'jose';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_ISSUER } from '@plant/config';
import { postGraphQL } from '../../apps/gateway/test/gateway-harness';
import { SubscriptionProbe } from '../../apps/gateway/test/subscription-probe';
import { alertOf, LINE, OTHER_PLANT, PLANT } from '../../apps/kpi-subgraph/test/support/kpi-fixtures';
import { accessToken } from '../support/auth-tokens';
import { alertChanged, kpiUpdated, SecuredPlatform, startSecuredPlatform } from './secured-platform';

/** Authentication at the real gateway over the real subgraphs: bad tokens, expiry, and scope isolation of shared work. */
let platform: SecuredPlatform;
const probes: SubscriptionProbe[] = [];
const subscribe = (query: string, token: string) => {
  const probe = new SubscriptionProbe(platform.gateway.wsUrl, query, { authorization: `Bearer ${token}` });
  probes.push(probe);
  return probe;
};

/** Tokens the gateway must refuse: expired, signed with another secret, `alg: none`, payload edited after signing. */
async function badTokens(): Promise<Record<string, string>> {
  const valid = await accessToken('partner', [PLANT]);
  const [header, , signature] = valid.split('.');
  const raised = base64url.encode(JSON.stringify({ sub: 'x', role: 'admin', iss: LOCAL_JWT_ISSUER, aud: LOCAL_JWT_AUDIENCE, exp: 9_999_999_999 }));
  return {
    expired: await accessToken('admin', undefined, { ttlSeconds: -60 }),
    forged: await accessToken('admin', undefined, { secret: 'not-the-gateway-secret-0123456789-0123456789' }),
    algNone: new UnsecuredJWT({ role: 'admin' }).setSubject('x').setIssuer(LOCAL_JWT_ISSUER).setAudience(LOCAL_JWT_AUDIENCE).setExpirationTime('1h').encode(),
    edited: `${header}.${raised}.${signature}`,
    garbage: 'not-a-token',
  };
}

beforeAll(async () => {
  platform = await startSecuredPlatform();
}, 90_000);

afterAll(async () => {
  await Promise.all(probes.splice(0).map((p) => p.close()));
  await platform?.stop();
});

describe('authentication at the gateway', () => {
  it('answers HTTP 401 UNAUTHENTICATED for no, expired, forged, alg-none, edited and malformed tokens', async () => {
    const results = [];
    for (const [name, token] of [['none', undefined], ...Object.entries(await badTokens())] as const) {
      const res = await postGraphQL(platform.gateway.url, '{ plants { id } }', undefined, token ? { authorization: `Bearer ${token}` } : null);
      results.push({ name, status: res.status, code: res.body.errors?.[0]?.extensions?.code, data: res.body.data ?? null });
    }
    expect(results).toEqual(['none', 'expired', 'forged', 'algNone', 'edited', 'garbage'].map((name) => ({ name, status: 401, code: 'UNAUTHENTICATED', data: null })));
  });

  it('closes a graphql-ws connection with 4401 when connection_init carries no or a bad token', async () => {
    const tokens = { none: undefined, ...(await badTokens()) };
    for (const [name, token] of Object.entries(tokens)) {
      const probe = new SubscriptionProbe(platform.gateway.wsUrl, 'subscription { alertRaised { id } }', token ? { authorization: `Bearer ${token}` } : {});
      probes.push(probe);
      await probe.until((p) => p.error !== undefined, 5_000, `close of ${name}`);
      expect({ name, code: (probe.error as { code?: number }).code }).toEqual({ name, code: 4401 });
    }
  });

  it('ends an open subscription with UNAUTHENTICATED when its token expires, and completes it', async () => {
    const probe = subscribe('subscription { kpiUpdated(assetId: "asset-it-01") { scopeId } }', await accessToken('operator', undefined, { ttlSeconds: 3 }));
    for (let i = 0; i < 20 && probe.events.length === 0; i++) {
      await platform.publish([kpiUpdated('asset-it-01')]);
      await probe.until((p) => p.events.length > 0, 200).catch(() => undefined);
    }
    expect(probe.events[0]).toEqual({ data: { kpiUpdated: { scopeId: 'asset-it-01' } } });
    await probe.until((p) => p.completed, 8_000, 'completion at token expiry');
    const last = probe.events.at(-1);
    expect(last.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(probe.error).toBeUndefined();
  });

  it('never shares an upstream subscription between callers of different plants', async () => {
    const query = 'subscription { alertRaised { id plantId } }';
    const partner = subscribe(query, await accessToken('partner', [PLANT], { subject: 'p-1' }));
    const otherPartner = subscribe(query, await accessToken('partner', [OTHER_PLANT], { subject: 'p-2' }));
    const admin = subscribe(query, await accessToken('admin'));
    const own = alertOf(300, { plantId: PLANT, lineId: LINE, assetId: 'asset-it-01' });
    const foreign = alertOf(301, { plantId: OTHER_PLANT, lineId: 'line-it-2a', assetId: 'asset-it-2a-1' });
    const plantsOf = (p: SubscriptionProbe) => new Set(p.events.map((e) => e.data.alertRaised.plantId));
    for (let i = 0; i < 40 && !(plantsOf(admin).size === 2 && partner.events.length && otherPartner.events.length); i++) {
      await platform.publish([alertChanged(foreign), alertChanged(own)]);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(plantsOf(admin)).toEqual(new Set([PLANT, OTHER_PLANT]));
    expect(plantsOf(partner)).toEqual(new Set([PLANT]));
    expect(plantsOf(otherPartner)).toEqual(new Set([OTHER_PLANT]));
  });
});
