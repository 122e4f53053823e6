import { jwtVerify, SignJWT } from 'jose';
import { AuthError } from './auth-error';
import { Identity, isRole } from './identity';
import { scopesOf } from './roles';

/**
 * Gateway → subgraph trust. The gateway forwards the verified identity as a short-lived HS256 JWT
 * signed with a secret only it and the subgraphs hold (`INTERNAL_AUTH_SECRET`): in this header on
 * HTTP subgraph requests, and under the same key in the `connection_init` payload of subgraph
 * subscriptions. Subgraphs accept nothing else (a raw `x-user-id` means nothing).
 */
export const INTERNAL_IDENTITY_HEADER = 'x-plant-identity';
const ISSUER = 'plant-gateway';
const AUDIENCE = 'plant-subgraphs';
/** Long enough to be reused for many requests, short enough that a leaked one is soon useless. */
export const INTERNAL_TOKEN_TTL_S = 120;
const ALGORITHMS = ['HS256'];

const keyCache = new Map<string, Uint8Array>();
function keyOf(secret: string): Uint8Array {
  let key = keyCache.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keyCache.set(secret, key);
  }
  return key;
}

export async function signInternalIdentity(identity: Identity, secret: string, ttlSeconds = INTERNAL_TOKEN_TTL_S): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: identity.role, plants: identity.plants, uexp: identity.expiresAt })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(identity.subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(keyOf(secret));
}

export async function verifyInternalIdentity(token: string, secret: string): Promise<Identity> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), { algorithms: ALGORITHMS, issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['exp', 'sub'] }));
  } catch {
    throw new AuthError('internal identity is missing, expired or not signed by the gateway');
  }
  const { sub, role, plants, uexp } = payload as { sub: string; role?: unknown; plants?: unknown; uexp?: unknown };
  const validPlants = plants === '*' || (Array.isArray(plants) && plants.every((p) => typeof p === 'string'));
  if (!isRole(role) || !validPlants) throw new AuthError('internal identity has an invalid role or plants');
  return { subject: sub, role, plants: plants as Identity['plants'], scopes: scopesOf(role), expiresAt: typeof uexp === 'number' ? uexp : (payload.exp ?? 0) * 1000 };
}
