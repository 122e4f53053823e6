import { base64url, SignJWT, UnsecuredJWT } from 'jose';
import {
  AccessTokenVerifier,
  AuthError,
  ExpiringCache,
  INTERNAL_TOKEN_TTL_S,
  mintAccessToken,
  parseTtl,
  scopeKeyOf,
  signInternalIdentity,
  verifyInternalIdentity,
} from '@plant/auth';

const SECRET = 'test-secret-0123456789-0123456789-abcdef';
const OPTIONS = { issuer: 'plant-test', audience: 'plant-api' };
const verifier = new AccessTokenVerifier({ hs256Secret: SECRET }, OPTIONS);
const mint = (over: Partial<Parameters<typeof mintAccessToken>[0]> = {}) =>
  mintAccessToken({ ...OPTIONS, hs256Secret: SECRET, subject: 'p-1', role: 'partner', plants: ['plt1'], ttlSeconds: 60, ...over });
const refused = async (token: string) => {
  const err = await verifier.verify(token).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AuthError);
  return (err as AuthError).reason;
};

describe('access tokens', () => {
  it('maps a valid token to an identity with the role’s scopes and the token’s plants', async () => {
    const identity = await verifier.verify(await mint());
    expect(identity).toEqual({
      subject: 'p-1',
      role: 'partner',
      plants: ['plt1'],
      scopes: ['kpi:read', 'alerts:read', 'trends:read', 'reports:read'],
      expiresAt: expect.any(Number),
    });
    expect(identity.expiresAt).toBeGreaterThan(Date.now() + 50_000);
  });

  it('gives every plant to a non-partner without a plants claim, and reads comma-separated plants', async () => {
    expect((await verifier.verify(await mint({ role: 'operator', plants: undefined }))).plants).toBe('*');
    const token = await new SignJWT({ role: 'analyst', plants: 'plt1, plt2' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('a').setIssuer(OPTIONS.issuer).setAudience(OPTIONS.audience).setExpirationTime('1m')
      .sign(new TextEncoder().encode(SECRET));
    expect((await verifier.verify(token)).plants).toEqual(['plt1', 'plt2']);
  });

  it('refuses expired, forged, alg-none, foreign-issuer and foreign-audience tokens', async () => {
    expect(await refused(await mint({ ttlSeconds: -60 }))).toBe('token expired');
    expect(await refused(await mint({ hs256Secret: 'another-secret-0123456789-0123456789' }))).toBe('token signature is invalid');
    const none = new UnsecuredJWT({ role: 'admin' }).setSubject('x').setIssuer(OPTIONS.issuer).setAudience(OPTIONS.audience).setExpirationTime('1h').encode();
    expect(await refused(none)).toBe('token algorithm is not allowed');
    expect(await refused(await mint({ issuer: 'someone-else' }))).toBe('token claim "iss" is invalid');
    expect(await refused(await mint({ audience: 'other-api' }))).toBe('token claim "aud" is invalid');
    expect(await refused('not.a.jwt')).toBe('token is malformed');
  });

  it('refuses a token whose payload was edited after signing (role raised to admin)', async () => {
    const [header, , signature] = (await mint()).split('.');
    const payload = base64url.encode(JSON.stringify({ sub: 'p-1', role: 'admin', iss: OPTIONS.issuer, aud: OPTIONS.audience, exp: 9_999_999_999 }));
    expect(await refused(`${header}.${payload}.${signature}`)).toBe('token signature is invalid');
  });

  it('refuses unknown roles and partners without plants', async () => {
    expect(await refused(await mint({ role: 'root' as never }))).toMatch(/claim "role"/);
    expect(await refused(await mint({ plants: '*' }))).toMatch(/partner token must list its plants/);
  });

  it('parses token lifetimes', () => {
    expect([parseTtl('30s'), parseTtl('15m'), parseTtl('1h'), parseTtl('2d')]).toEqual([30, 900, 3_600, 172_800]);
    expect(() => parseTtl('1y')).toThrow(/not a duration/);
  });
});

describe('internal identity (gateway → subgraph)', () => {
  const identity = { subject: 'op-7', role: 'operator' as const, plants: ['plt2'], scopes: ['kpi:read'], expiresAt: Date.now() + 3_600_000 };

  it('round-trips the identity, scopes re-derived from the role', async () => {
    const token = await signInternalIdentity(identity, SECRET);
    expect(await verifyInternalIdentity(token, SECRET)).toEqual({ ...identity, scopes: ['kpi:read', 'alerts:read', 'alerts:acknowledge', 'trends:read', 'reports:read'] });
  });

  it('refuses one signed with another secret, an expired one and a caller’s own access token', async () => {
    await expect(verifyInternalIdentity(await signInternalIdentity(identity, 'x'.repeat(40)), SECRET)).rejects.toThrow(AuthError);
    await expect(verifyInternalIdentity(await signInternalIdentity(identity, SECRET, -INTERNAL_TOKEN_TTL_S), SECRET)).rejects.toThrow(AuthError);
    await expect(verifyInternalIdentity(await mint({ hs256Secret: SECRET }), SECRET)).rejects.toThrow(AuthError);
  });

  it('keys shared results by role and plants, not by subject or plant order', () => {
    expect(scopeKeyOf({ role: 'partner', plants: ['b', 'a'] })).toBe(scopeKeyOf({ role: 'partner', plants: ['a', 'b'] }));
    expect(scopeKeyOf({ role: 'partner', plants: ['a'] })).not.toBe(scopeKeyOf({ role: 'partner', plants: ['b'] }));
    expect(scopeKeyOf({ role: 'analyst', plants: '*' })).not.toBe(scopeKeyOf({ role: 'admin', plants: '*' }));
  });
});

describe('ExpiringCache', () => {
  // lru-cache takes a start time of 0 for "no TTL": the fake clock starts later, like a real one.
  let now = 1_000_000;
  const clock = { now: () => now };

  it('forgets entries at their expiry and drops the least recently used when full', () => {
    now = 1_000_000;
    const cache = new ExpiringCache<number>(2, clock);
    cache.set('a', 1, now + 1_000);
    now += 999;
    expect(cache.get('a')).toBe(1);
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', 2, now + 5_000);
    cache.set('c', 3, now + 5_000);
    cache.set('d', 4, now + 5_000);
    expect([cache.get('b'), cache.get('c'), cache.get('d'), cache.size]).toEqual([undefined, 3, 4, 2]);
    cache.get('c');
    cache.set('e', 5, now + 5_000); // c was read after d: d is the least recently used and goes
    expect([cache.get('c'), cache.get('d'), cache.get('e')]).toEqual([3, undefined, 5]);
  });

  it('answers "still valid at a later time" and stores nothing whose expiry has passed', () => {
    now = 10_000;
    const cache = new ExpiringCache<string>(10, clock);
    cache.set('token', 't', 10_500);
    expect(cache.get('token', 10_499)).toBe('t');
    expect(cache.get('token', 10_500)).toBeUndefined();
    expect(cache.get('token')).toBe('t');
    cache.set('stale', 's', 10_000);
    expect([cache.get('stale'), cache.size]).toEqual([undefined, 1]);
  });
});
