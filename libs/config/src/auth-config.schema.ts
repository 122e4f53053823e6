import { z } from 'zod';
import { EnvNames } from './env-names';
import { urlVar } from './load-config';

/**
 * The local HS256 secret for callers' tokens: `npm start`, `npm run token` and tests share it so
 * that a token minted in one terminal works against the platform in another. Refused in production.
 */
export const LOCAL_JWT_HS256_SECRET = 'local-development-only-jwt-secret-do-not-deploy';
export const LOCAL_JWT_ISSUER = 'plant-local';
export const LOCAL_JWT_AUDIENCE = 'plant-api';

const secretVar = () => z.string().min(32, 'must be at least 32 characters');

/** Read by the gateway and every subgraph: the secret of the internal identity header. No default. */
export const internalAuthShape = {
  [EnvNames.INTERNAL_AUTH_SECRET]: secretVar().describe('npm start generates one per run'),
};

/** How the gateway (and `npm run token`) verify and mint callers' JWTs. */
export const accessTokenShape = {
  [EnvNames.GATEWAY_AUTH]: z.enum(['required', 'off'], { message: 'must be required or off' }).default('required'),
  [EnvNames.JWT_HS256_SECRET]: secretVar().default(LOCAL_JWT_HS256_SECRET),
  [EnvNames.JWT_JWKS_URL]: urlVar().optional(),
  [EnvNames.JWT_ISSUER]: z.string().min(1, 'must not be empty').default(LOCAL_JWT_ISSUER),
  [EnvNames.JWT_AUDIENCE]: z.string().min(1, 'must not be empty').default(LOCAL_JWT_AUDIENCE),
  [EnvNames.JWT_ROLE_CLAIM]: z.string().min(1, 'must not be empty').default('role'),
  [EnvNames.JWT_PLANTS_CLAIM]: z.string().min(1, 'must not be empty').default('plants'),
};

interface AccessTokenConfig {
  NODE_ENV: string;
  GATEWAY_AUTH: 'required' | 'off';
  JWT_HS256_SECRET: string;
  JWT_JWKS_URL?: string;
}

/** Production never runs without authentication, nor with the well-known local secret. */
export function refineAccessTokenConfig(config: AccessTokenConfig, ctx: z.RefinementCtx): void {
  if (config.NODE_ENV !== 'production') return;
  if (config.GATEWAY_AUTH === 'off') {
    ctx.addIssue({ code: 'custom', path: [EnvNames.GATEWAY_AUTH], message: 'must not be off when NODE_ENV=production' });
  }
  if (!config.JWT_JWKS_URL && config.JWT_HS256_SECRET === LOCAL_JWT_HS256_SECRET) {
    ctx.addIssue({ code: 'custom', path: [EnvNames.JWT_JWKS_URL], message: 'must be set when NODE_ENV=production (or a JWT_HS256_SECRET of your own)' });
  }
}
