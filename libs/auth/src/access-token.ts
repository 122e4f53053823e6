import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';
import { AuthError } from './auth-error';
import { Identity, isRole, PlantScope, Role } from './identity';
import { scopesOf } from './roles';

/** Claim names of the caller's role and plants (Cognito ID tokens carry custom attributes as `custom:…`). */
export interface ClaimNames {
  role: string;
  plants: string;
}
export const DEFAULT_CLAIMS: ClaimNames = { role: 'role', plants: 'plants' };

export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  claims?: ClaimNames;
}

/** Either the local HS256 secret or the JWKS URL of the identity provider (Cognito) in AWS. */
export type AccessTokenKeys = { hs256Secret: string } | { jwksUrl: string };

const CLOCK_TOLERANCE_S = 5;

/**
 * Verifies callers' JWTs with `jose`: signature (HS256 locally; RS256/ES256 from the JWKS in AWS),
 * `exp`, `iss`, `aud`, then maps the claims to an Identity. Any failure is an AuthError whose
 * reason is safe to return. `alg: none` and algorithm confusion are refused by the fixed algorithm list.
 */
export class AccessTokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];
  private readonly claims: ClaimNames;

  constructor(
    keys: AccessTokenKeys,
    private readonly options: AccessTokenOptions,
  ) {
    if ('jwksUrl' in keys) {
      this.key = createRemoteJWKSet(new URL(keys.jwksUrl));
      this.algorithms = ['RS256', 'ES256'];
    } else {
      this.key = new TextEncoder().encode(keys.hs256Secret);
      this.algorithms = ['HS256'];
    }
    this.claims = options.claims ?? DEFAULT_CLAIMS;
  }

  async verify(token: string): Promise<Identity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch (err) {
      throw new AuthError(reasonOf(err));
    }
    return identityOfClaims(payload, this.claims);
  }
}

/** The Identity a verified token describes; a partner must name its plants. */
export function identityOfClaims(payload: JWTPayload, claims: ClaimNames = DEFAULT_CLAIMS): Identity {
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 256) throw new AuthError('token subject is missing or too long');
  const role = payload[claims.role];
  if (!isRole(role)) throw new AuthError(`token claim "${claims.role}" must be one of operator, analyst, data_scientist, partner, admin`);
  const plants = plantsOf(payload[claims.plants], claims.plants);
  if (role === 'partner' && plants === '*') throw new AuthError(`a partner token must list its plants in "${claims.plants}"`);
  return { subject, role, plants, scopes: scopesOf(role), expiresAt: (payload.exp ?? 0) * 1000 };
}

const PLANT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An array of ids, or a string (`"*"`, `"plt1,plt2"` or `"plt1 plt2"`: Cognito custom attributes are strings); absent = every plant. */
function plantsOf(value: unknown, claim: string): PlantScope {
  if (value === undefined || value === '*') return '*';
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : value;
  if (!Array.isArray(list) || list.length === 0 || list.length > 1_000 || !list.every((p) => typeof p === 'string' && PLANT_ID.test(p))) {
    throw new AuthError(`token claim "${claim}" must be "*" or a list of plant ids`);
  }
  return [...new Set(list as string[])];
}

function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `token claim "${err.claim}" is invalid`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'token algorithm is not allowed';
  if (err instanceof errors.JWKSNoMatchingKey) return 'token key is unknown';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'token is malformed';
  return 'token could not be verified';
}

export interface MintOptions extends AccessTokenOptions {
  hs256Secret: string;
  subject: string;
  role: Role;
  plants?: PlantScope;
  ttlSeconds: number;
}

/** A local HS256 access token (`npm run token`, tests, benchmarks). */
export function mintAccessToken(options: MintOptions): Promise<string> {
  const claims = options.claims ?? DEFAULT_CLAIMS;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ [claims.role]: options.role, ...(options.plants !== undefined && { [claims.plants]: options.plants }) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.subject)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + options.ttlSeconds)
    .sign(new TextEncoder().encode(options.hs256Secret));
}

/** `1h`, `15m`, `30s`, `2d` → seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d{1,7})(s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration such as 30s, 15m, 1h or 2d`);
  return Number(match[1]) * { s: 1, m: 60, h: 3_600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}
