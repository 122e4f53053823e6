/**
 * The gateway's limits and the subgraphs' deadline (docs/api-limits.md): variable names and
 * defaults, read by the apps' config schemas and set by `infra/` on the Fargate tasks.
 */
export const GatewayLimitEnvNames = {
  /** `false` turns every limit off (benchmarks of their cost only; refused with NODE_ENV=production). */
  GATEWAY_LIMITS_ENABLED: 'GATEWAY_LIMITS_ENABLED',
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
  /** Open subscriptions per token (per IP without one), graphql-ws and SSE together; 0 = off. */
  GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN: 'GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN',
  /** End-to-end deadline of a query or mutation at the gateway, ms; its subgraph requests are aborted. */
  GATEWAY_REQUEST_TIMEOUT_MS: 'GATEWAY_REQUEST_TIMEOUT_MS',
  /** Timeout of one subgraph HTTP request, ms. */
  GATEWAY_UPSTREAM_TIMEOUT_MS: 'GATEWAY_UPSTREAM_TIMEOUT_MS',
  /** Path of an Apollo persisted-query manifest; partners may only run its operations. */
  GATEWAY_PERSISTED_OPERATIONS_PATH: 'GATEWAY_PERSISTED_OPERATIONS_PATH',
} as const;

/** Defaults of the numeric limits: the dashboard fits, the two killer queries do not. */
export const GatewayLimitDefaults = {
  GATEWAY_MAX_DEPTH: 10,
  GATEWAY_MAX_ALIASES: 15,
  GATEWAY_MAX_ROOT_FIELDS: 10,
  GATEWAY_MAX_TOKENS: 1_000,
  GATEWAY_MAX_DIRECTIVES: 20,
  GATEWAY_MAX_COST: 50_000,
  GATEWAY_ASSUMED_LIST_SIZE: 10,
  GATEWAY_RATE_LIMIT_PER_TOKEN: 200,
  GATEWAY_RATE_LIMIT_PER_IP: 100,
  GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN: 100,
  GATEWAY_REQUEST_TIMEOUT_MS: 10_000,
  GATEWAY_UPSTREAM_TIMEOUT_MS: 8_000,
} as const satisfies Partial<Record<keyof typeof GatewayLimitEnvNames, number>>;

/** A subgraph's own per-request deadline: below the gateway's upstream timeout, so it answers first. */
export const SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS = 5_000;

/** The lake reports' defaults (history-subgraph config and the deployed environment read these). */
export const LakeQueryDefaults = {
  /** An Athena query still running after this long is stopped (below the subgraph's request deadline). */
  timeoutMs: 4_500,
  /** A production day counts as final (its results cached for good) this long after it ended. */
  watermarkSettleMs: 2 * 3_600_000,
} as const;
