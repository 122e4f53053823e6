import { z } from 'zod';
import { GatewayLimitDefaults, GatewayLimitEnvNames } from '@plant/config';

/**
 * The gateway's protective limits (issue 8, item 5): their bounds here, names and defaults in
 * `@plant/config` (infra sets them too). Defaults let the dashboard and the README's example
 * operations through and refuse the two operations that took the platform down (docs/api-limits.md).
 */
export const LimitEnvNames = GatewayLimitEnvNames;
const D = GatewayLimitDefaults;

const count = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

export const limitsConfigShape = {
  [LimitEnvNames.GATEWAY_MAX_DEPTH]: count(1, 100, D.GATEWAY_MAX_DEPTH),
  [LimitEnvNames.GATEWAY_MAX_ALIASES]: count(0, 1_000, D.GATEWAY_MAX_ALIASES),
  [LimitEnvNames.GATEWAY_MAX_ROOT_FIELDS]: count(1, 1_000, D.GATEWAY_MAX_ROOT_FIELDS),
  [LimitEnvNames.GATEWAY_MAX_TOKENS]: count(10, 1_000_000, D.GATEWAY_MAX_TOKENS),
  [LimitEnvNames.GATEWAY_MAX_DIRECTIVES]: count(0, 1_000, D.GATEWAY_MAX_DIRECTIVES),
  [LimitEnvNames.GATEWAY_MAX_COST]: count(1, 1_000_000_000, D.GATEWAY_MAX_COST),
  [LimitEnvNames.GATEWAY_ASSUMED_LIST_SIZE]: count(1, 10_000, D.GATEWAY_ASSUMED_LIST_SIZE),
  [LimitEnvNames.GATEWAY_RATE_LIMIT_PER_TOKEN]: count(0, 1_000_000, D.GATEWAY_RATE_LIMIT_PER_TOKEN),
  [LimitEnvNames.GATEWAY_RATE_LIMIT_PER_IP]: count(0, 1_000_000, D.GATEWAY_RATE_LIMIT_PER_IP),
  [LimitEnvNames.GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN]: count(0, 1_000_000, D.GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN),
  [LimitEnvNames.GATEWAY_REQUEST_TIMEOUT_MS]: count(100, 600_000, D.GATEWAY_REQUEST_TIMEOUT_MS),
  [LimitEnvNames.GATEWAY_UPSTREAM_TIMEOUT_MS]: count(100, 600_000, D.GATEWAY_UPSTREAM_TIMEOUT_MS),
  [LimitEnvNames.GATEWAY_PERSISTED_OPERATIONS_PATH]: z.string().min(1, 'must not be empty').optional(),
  [LimitEnvNames.GATEWAY_LIMITS_ENABLED]: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
};

/** Limits may be off only outside production (to measure what they cost). */
export function limitsOffOnlyOutsideProduction(config: { NODE_ENV: string; GATEWAY_LIMITS_ENABLED: boolean }): boolean {
  return config.GATEWAY_LIMITS_ENABLED || config.NODE_ENV !== 'production';
}

type LimitsConfig = z.infer<z.ZodObject<typeof limitsConfigShape>>;

/** What the runtime factory needs; built from the validated config. */
export interface GatewayLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
  assumedListSize: number;
  rateLimitPerToken: number;
  rateLimitPerIp: number;
  maxSubscriptionsPerKey: number;
  requestTimeoutMs: number;
  upstreamTimeoutMs: number;
  persistedOperationsPath?: string;
  /** Introspection and field suggestions only for admins (NODE_ENV=production). */
  production: boolean;
}

export function limitsOf(config: LimitsConfig & { NODE_ENV: string }): GatewayLimits {
  return {
    maxDepth: config.GATEWAY_MAX_DEPTH,
    maxAliases: config.GATEWAY_MAX_ALIASES,
    maxRootFields: config.GATEWAY_MAX_ROOT_FIELDS,
    maxTokens: config.GATEWAY_MAX_TOKENS,
    maxDirectives: config.GATEWAY_MAX_DIRECTIVES,
    maxCost: config.GATEWAY_MAX_COST,
    assumedListSize: config.GATEWAY_ASSUMED_LIST_SIZE,
    rateLimitPerToken: config.GATEWAY_RATE_LIMIT_PER_TOKEN,
    rateLimitPerIp: config.GATEWAY_RATE_LIMIT_PER_IP,
    maxSubscriptionsPerKey: config.GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN,
    requestTimeoutMs: config.GATEWAY_REQUEST_TIMEOUT_MS,
    upstreamTimeoutMs: config.GATEWAY_UPSTREAM_TIMEOUT_MS,
    persistedOperationsPath: config.GATEWAY_PERSISTED_OPERATIONS_PATH,
    production: config.NODE_ENV === 'production',
  };
}
