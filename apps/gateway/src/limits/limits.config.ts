import { z } from 'zod';

/**
 * The gateway's protective limits (issue 8, item 5): environment variables, their defaults and
 * bounds. Defaults let the dashboard and the README's example operations through with room to
 * spare and refuse the two operations that took the platform down (docs/api-limits.md).
 */
export const LimitEnvNames = {
  GATEWAY_MAX_DEPTH: 'GATEWAY_MAX_DEPTH',
  GATEWAY_MAX_ALIASES: 'GATEWAY_MAX_ALIASES',
  GATEWAY_MAX_ROOT_FIELDS: 'GATEWAY_MAX_ROOT_FIELDS',
  GATEWAY_MAX_TOKENS: 'GATEWAY_MAX_TOKENS',
  GATEWAY_MAX_DIRECTIVES: 'GATEWAY_MAX_DIRECTIVES',
  /** Largest estimated cost accepted (Apollo demand control's static estimate). */
  GATEWAY_MAX_COST: 'GATEWAY_MAX_COST',
  /** Assumed size of a list field without a `first`/`last` argument. */
  GATEWAY_ASSUMED_LIST_SIZE: 'GATEWAY_ASSUMED_LIST_SIZE',
  /** HTTP requests per second per bearer token; 0 = off. */
  GATEWAY_RATE_LIMIT_PER_TOKEN: 'GATEWAY_RATE_LIMIT_PER_TOKEN',
  /** HTTP requests per second per client IP for requests without a token; 0 = off. */
  GATEWAY_RATE_LIMIT_PER_IP: 'GATEWAY_RATE_LIMIT_PER_IP',
  /** Open subscriptions per token (per IP without a token), graphql-ws and SSE together; 0 = off. */
  GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN: 'GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN',
  /** End-to-end deadline of a query or mutation at the gateway, ms; its subgraph requests are aborted. */
  GATEWAY_REQUEST_TIMEOUT_MS: 'GATEWAY_REQUEST_TIMEOUT_MS',
  /** Timeout of one subgraph HTTP request, ms. */
  GATEWAY_UPSTREAM_TIMEOUT_MS: 'GATEWAY_UPSTREAM_TIMEOUT_MS',
  /** Path of an Apollo persisted-query manifest; partners may only run its operations. */
  GATEWAY_PERSISTED_OPERATIONS_PATH: 'GATEWAY_PERSISTED_OPERATIONS_PATH',
} as const;

const count = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

export const limitsConfigShape = {
  [LimitEnvNames.GATEWAY_MAX_DEPTH]: count(1, 100, 10),
  [LimitEnvNames.GATEWAY_MAX_ALIASES]: count(0, 1_000, 15),
  [LimitEnvNames.GATEWAY_MAX_ROOT_FIELDS]: count(1, 1_000, 10),
  [LimitEnvNames.GATEWAY_MAX_TOKENS]: count(10, 1_000_000, 1_000),
  [LimitEnvNames.GATEWAY_MAX_DIRECTIVES]: count(0, 1_000, 20),
  [LimitEnvNames.GATEWAY_MAX_COST]: count(1, 1_000_000_000, 50_000),
  [LimitEnvNames.GATEWAY_ASSUMED_LIST_SIZE]: count(1, 10_000, 10),
  [LimitEnvNames.GATEWAY_RATE_LIMIT_PER_TOKEN]: count(0, 1_000_000, 200),
  [LimitEnvNames.GATEWAY_RATE_LIMIT_PER_IP]: count(0, 1_000_000, 100),
  [LimitEnvNames.GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN]: count(0, 1_000_000, 100),
  [LimitEnvNames.GATEWAY_REQUEST_TIMEOUT_MS]: count(100, 600_000, 10_000),
  [LimitEnvNames.GATEWAY_UPSTREAM_TIMEOUT_MS]: count(100, 600_000, 8_000),
  [LimitEnvNames.GATEWAY_PERSISTED_OPERATIONS_PATH]: z.string().min(1, 'must not be empty').optional(),
};

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
