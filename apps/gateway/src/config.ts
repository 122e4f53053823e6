import { z } from 'zod';
import { accessTokenShape, awsConfigShape, DefaultPorts, EnvNames, internalAuthShape, portVar, refineAccessTokenConfig, urlVar } from '@plant/config';
import { limitsConfigShape, limitsOffOnlyOutsideProduction } from './limits/limits.config';

const local = (port: number) => `http://127.0.0.1:${port}/graphql`;

/** Variables only the gateway reads (the shared ones come from `EnvNames`). */
export const GatewayEnvNames = {
  /** Path of the composed supergraph (`npm run compose` writes it). */
  SUPERGRAPH_PATH: 'SUPERGRAPH_PATH',
  /** `rust` (@graphql-hive/router-runtime) or `js` (graphql-tools' planner). */
  GATEWAY_QUERY_PLANNER: 'GATEWAY_QUERY_PLANNER',
  /** Response cache TTL in ms for queries; 0 turns the cache off. KPIs change at most once a second. */
  GATEWAY_RESPONSE_CACHE_TTL_MS: 'GATEWAY_RESPONSE_CACHE_TTL_MS',
  /** Merge identical in-flight requests to subgraphs (`true`/`false`). */
  GATEWAY_DEDUPE_UPSTREAM: 'GATEWAY_DEDUPE_UPSTREAM',
  /** Share one upstream execution between identical client subscriptions (`true`/`false`). */
  GATEWAY_SHARE_SUBSCRIPTIONS: 'GATEWAY_SHARE_SUBSCRIPTIONS',
  /** Ping interval of client and subgraph WebSockets, ms. */
  GATEWAY_WS_KEEPALIVE_MS: 'GATEWAY_WS_KEEPALIVE_MS',
  /** How often the gateway re-connects a lost subgraph WebSocket before it fails the subscriptions. */
  GATEWAY_UPSTREAM_WS_RETRIES: 'GATEWAY_UPSTREAM_WS_RETRIES',
} as const;

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true');

/** The maximum staleness we promise for cached query results (KPIs change at most once a second). */
export const MAX_RESPONSE_CACHE_TTL_MS = 1_000;

export const GatewayConfigSchema = z.object({
  ...awsConfigShape,
  // Authentication and gateway → subgraph trust (docs/security.md); production refuses auth off.
  ...accessTokenShape,
  ...internalAuthShape,
  [EnvNames.PORT]: portVar(DefaultPorts.gateway),
  [EnvNames.KPI_SUBGRAPH_URL]: urlVar().default(local(DefaultPorts.kpiSubgraph)),
  [EnvNames.HISTORY_SUBGRAPH_URL]: urlVar().default(local(DefaultPorts.historySubgraph)),
  [EnvNames.ML_SUBGRAPH_URL]: urlVar().default(local(DefaultPorts.mlSubgraph)),
  [GatewayEnvNames.SUPERGRAPH_PATH]: z.string().min(1, 'must not be empty').default('apps/gateway/supergraph.graphql'),
  [GatewayEnvNames.GATEWAY_QUERY_PLANNER]: z.enum(['rust', 'js'], { message: 'must be rust or js' }).default('rust'),
  [GatewayEnvNames.GATEWAY_RESPONSE_CACHE_TTL_MS]: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be 0 (off) or more')
    .max(MAX_RESPONSE_CACHE_TTL_MS, `must be at most ${MAX_RESPONSE_CACHE_TTL_MS} (KPIs must not be staler than 1 s)`)
    .default(MAX_RESPONSE_CACHE_TTL_MS),
  [GatewayEnvNames.GATEWAY_DEDUPE_UPSTREAM]: bool(true),
  [GatewayEnvNames.GATEWAY_SHARE_SUBSCRIPTIONS]: bool(true),
  [GatewayEnvNames.GATEWAY_WS_KEEPALIVE_MS]: z.coerce.number().int().min(1_000, 'must be at least 1000').default(12_000),
  [GatewayEnvNames.GATEWAY_UPSTREAM_WS_RETRIES]: z.coerce.number().int().min(0).max(20).default(5),
  ...limitsConfigShape,
})
  .superRefine(refineAccessTokenConfig)
  .refine(limitsOffOnlyOutsideProduction, {
    message: 'must not be false with NODE_ENV=production',
    path: ['GATEWAY_LIMITS_ENABLED'],
  });
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

/** Subgraph URL overrides by graph name in the supergraph's `join__Graph` enum. */
export function subgraphUrlOverrides(config: GatewayConfig): Record<string, string> {
  return {
    kpi: config.KPI_SUBGRAPH_URL,
    history: config.HISTORY_SUBGRAPH_URL,
    ml: config.ML_SUBGRAPH_URL,
  };
}
