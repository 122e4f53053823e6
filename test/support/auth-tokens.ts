import {
  Identity,
  INTERNAL_IDENTITY_HEADER,
  mintAccessToken,
  PlantScope,
  Role,
  scopesOf,
  signInternalIdentity,
} from '@plant/auth';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_HS256_SECRET, LOCAL_JWT_ISSUER } from '@plant/config';

/**
 * The one place tests and benchmarks get credentials from: callers' access tokens for the gateway
 * (signed with the local HS256 secret, like `npm run token`) and the gateway's internal identity
 * for calling a subgraph directly.
 */
export const TEST_INTERNAL_AUTH_SECRET = 'test-internal-auth-secret-0123456789abcdef';

/** Environment of a gateway or subgraph process under test (a fixed internal secret shared by both). */
export const TEST_AUTH_ENV = { INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET, JWT_HS256_SECRET: LOCAL_JWT_HS256_SECRET } as const;

export interface TokenOptions {
  subject?: string;
  ttlSeconds?: number;
  secret?: string;
}

export function accessToken(role: Role = 'admin', plants?: PlantScope, options: TokenOptions = {}): Promise<string> {
  return mintAccessToken({
    hs256Secret: options.secret ?? LOCAL_JWT_HS256_SECRET,
    issuer: LOCAL_JWT_ISSUER,
    audience: LOCAL_JWT_AUDIENCE,
    subject: options.subject ?? `${role}-test`,
    role,
    plants,
    ttlSeconds: options.ttlSeconds ?? 3_600,
  });
}

/** `{ authorization: 'Bearer …' }` for a request to the gateway. */
export async function bearer(role: Role = 'admin', plants?: PlantScope, options?: TokenOptions): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await accessToken(role, plants, options)}` };
}

export function testIdentity(role: Role = 'admin', plants: PlantScope = '*', subject = `${role}-test`): Identity {
  return { subject, role, plants, scopes: scopesOf(role), expiresAt: Date.now() + 3_600_000 };
}

/** The header (or connection-init payload) the gateway sends a subgraph, for calling one directly. */
export async function internalIdentity(
  identity: Identity = testIdentity(),
  secret = TEST_INTERNAL_AUTH_SECRET,
  ttlSeconds?: number,
): Promise<Record<string, string>> {
  return { [INTERNAL_IDENTITY_HEADER]: await signInternalIdentity(identity, secret, ttlSeconds) };
}
