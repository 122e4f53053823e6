import { z } from 'zod';
import { GatewayLimitDefaults, GatewayLimitEnvNames, intVar } from '@plant/config';

/**
 * The gateway's protective limits (issue 8, item 5): their bounds here, names and defaults in
 * `@plant/config` (infra sets them too). Defaults let the dashboard and the README's example
 * operations through and refuse the two operations that took the platform down (docs/api-limits.md).
 */
export const LimitEnvNames = GatewayLimitEnvNames;
const D = GatewayLimitDefaults;

export const limitsConfigShape = {
  [LimitEnvNames.GATEWAY_MAX_DEPTH]: intVar(D.GATEWAY_MAX_DEPTH, 1, 100),
  [LimitEnvNames.GATEWAY_MAX_ALIASES]: intVar(D.GATEWAY_MAX_ALIASES, 0, 1_000),
  [LimitEnvNames.GATEWAY_MAX_ROOT_FIELDS]: intVar(D.GATEWAY_MAX_ROOT_FIELDS, 1, 1_000),
  [LimitEnvNames.GATEWAY_MAX_TOKENS]: intVar(D.GATEWAY_MAX_TOKENS, 10, 1_000_000),
  [LimitEnvNames.GATEWAY_MAX_DIRECTIVES]: intVar(D.GATEWAY_MAX_DIRECTIVES, 0, 1_000),
  [LimitEnvNames.GATEWAY_MAX_COST]: intVar(D.GATEWAY_MAX_COST, 1, 1_000_000_000),
  [LimitEnvNames.GATEWAY_ASSUMED_LIST_SIZE]: intVar(D.GATEWAY_ASSUMED_LIST_SIZE, 1, 10_000),
  [LimitEnvNames.GATEWAY_RATE_LIMIT_PER_TOKEN]: intVar(D.GATEWAY_RATE_LIMIT_PER_TOKEN, 0, 1_000_000),
  [LimitEnvNames.GATEWAY_RATE_LIMIT_PER_IP]: intVar(D.GATEWAY_RATE_LIMIT_PER_IP, 0, 1_000_000),
  [LimitEnvNames.GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN]: intVar(D.GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN, 0, 1_000_000),
  [LimitEnvNames.GATEWAY_REQUEST_TIMEOUT_MS]: intVar(D.GATEWAY_REQUEST_TIMEOUT_MS, 100, 600_000),
  [LimitEnvNames.GATEWAY_UPSTREAM_TIMEOUT_MS]: intVar(D.GATEWAY_UPSTREAM_TIMEOUT_MS, 100, 600_000),
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
