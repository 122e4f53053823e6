import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isRole, mintAccessToken, parseTtl, PlantScope, Role } from '@plant/auth';
import { accessTokenShape, awsConfigShape, loadConfig } from '@plant/config';

/** The same variables the gateway verifies tokens with, so a minted token matches the running gateway. */
const TokenConfigSchema = z.object({ NODE_ENV: awsConfigShape.NODE_ENV, ...accessTokenShape });

export interface TokenRequest {
  role: Role;
  plants?: PlantScope;
  ttlSeconds: number;
  subject: string;
}

export const USAGE = 'usage: npm run token -- --role operator|analyst|data_scientist|partner|admin [--plants plt1,plt2|*] [--ttl 1h] [--sub name]';

/** `--role partner --plants plt1 --ttl 1h --sub acme-bi` → a token request; throws with the usage on bad input. */
export function tokenRequestOf(argv: string[]): TokenRequest {
  const { values } = parseArgs({
    args: argv,
    options: { role: { type: 'string' }, plants: { type: 'string' }, ttl: { type: 'string', default: '1h' }, sub: { type: 'string' } },
    strict: true,
  });
  if (!isRole(values.role)) throw new Error(`--role must be one of operator, analyst, data_scientist, partner, admin\n${USAGE}`);
  const plants = values.plants === undefined || values.plants === '*' ? values.plants : values.plants.split(',').map((p) => p.trim()).filter(Boolean);
  if (values.role === 'partner' && (plants === undefined || plants === '*')) throw new Error(`a partner token needs --plants <ids>\n${USAGE}`);
  return { role: values.role, plants, ttlSeconds: parseTtl(values.ttl ?? '1h'), subject: values.sub ?? `local-${values.role}` };
}

/** Mints a token signed with the configured HS256 secret (local development; AWS uses Cognito). */
export async function mintLocalToken(request: TokenRequest, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const config = loadConfig(TokenConfigSchema, env);
  if (config.JWT_JWKS_URL) throw new Error('JWT_JWKS_URL is set: tokens come from the identity provider (Cognito), not from npm run token');
  return mintAccessToken({
    hs256Secret: config.JWT_HS256_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    claims: { role: config.JWT_ROLE_CLAIM, plants: config.JWT_PLANTS_CLAIM },
    ...request,
  });
}
