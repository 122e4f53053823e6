import {
  AccessTokenKeys,
  AccessTokenVerifier,
  AuthError,
  ClaimNames,
  ExpiringCache,
  Identity,
  INTERNAL_TOKEN_TTL_S,
  scopeKeyOf,
  scopesOf,
  signInternalIdentity,
} from '@plant/auth';

export interface GatewayAuthOptions {
  /** `off`: every caller is AUTH_OFF_IDENTITY (benchmarks; the config refuses it in production). */
  mode: 'required' | 'off';
  keys: AccessTokenKeys;
  issuer: string;
  audience: string;
  claims: ClaimNames;
  internalSecret: string;
}

/** Who every caller is when authentication is off: an admin of every plant, for the whole run. */
export const AUTH_OFF_IDENTITY: Identity = Object.freeze({
  subject: 'auth-off',
  role: 'admin',
  plants: '*',
  scopes: scopesOf('admin'),
  expiresAt: Number.MAX_SAFE_INTEGER,
}) as Identity;

/** Re-sign the internal token when less than this is left, so a request never carries one about to end. */
const INTERNAL_REUSE_MARGIN_MS = (INTERNAL_TOKEN_TTL_S / 2) * 1000;

/**
 * The gateway's side of authentication: verifies callers' bearer tokens and signs the internal
 * identity that subgraphs trust. Both results are cached (bounded, until they expire): verifying
 * and signing are async WebCrypto calls, and a client repeats one token on every request.
 */
export class GatewayAuthenticator {
  private readonly verifier?: AccessTokenVerifier;
  private readonly verified = new ExpiringCache<Identity>();
  private readonly internalTokens = new ExpiringCache<string>();

  constructor(private readonly options: GatewayAuthOptions) {
    if (options.mode === 'required') {
      this.verifier = new AccessTokenVerifier(options.keys, { issuer: options.issuer, audience: options.audience, claims: options.claims });
    }
  }

  get required(): boolean {
    return this.options.mode === 'required';
  }

  /** The identity of an `Authorization: Bearer …` value; AuthError when missing or invalid. */
  async authenticate(authorization: string | null | undefined): Promise<Identity> {
    if (!this.verifier) return AUTH_OFF_IDENTITY;
    const token = bearerTokenOf(authorization);
    const cached = this.verified.get(token);
    if (cached) return cached;
    const identity = await this.verifier.verify(token);
    this.verified.set(token, identity, identity.expiresAt);
    return identity;
  }

  /** The signed internal identity for subgraph requests; synchronous when cached (the common case). */
  internalToken(identity: Identity): string | Promise<string> {
    const key = `${identity.subject}|${scopeKeyOf(identity)}|${identity.expiresAt}`;
    const cached = this.internalTokens.get(key, Date.now() + INTERNAL_REUSE_MARGIN_MS);
    if (cached) return cached;
    return signInternalIdentity(identity, this.options.internalSecret).then((token) => {
      this.internalTokens.set(key, token, Date.now() + INTERNAL_TOKEN_TTL_S * 1000);
      return token;
    });
  }
}

/** `Bearer <jwt>` (scheme case-insensitive); a bare token is accepted too (graphql-ws clients often send one). */
export function bearerTokenOf(authorization: string | null | undefined): string {
  const value = authorization?.trim();
  if (!value) throw new AuthError('no access token: send Authorization: Bearer <token>');
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (match) return match[1];
  if (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(value)) return value;
  throw new AuthError('Authorization must be "Bearer <token>"');
}
