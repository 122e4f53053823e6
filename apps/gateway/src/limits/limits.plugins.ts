import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { GatewayLimits } from './limits.config';
import { useOperationLimits } from './operation-limits.plugin';
import { usePersistedOperations } from './persisted-operations.plugin';
import { useGatewayDeadline } from './request-deadline.plugin';
import { useSchemaExposure } from './schema-exposure.plugin';
import { useSubscriptionCap } from './subscription-cap.plugin';
import { useUpstreamTimeout } from './upstream-timeout.plugin';

/** The runtime options and plugins of every limit except the HTTP rate limit (express middleware). */
export function limitsRuntimeOptions() {
  return {
    // A client that goes away or a request past its deadline aborts the execution and the
    // subgraph requests it started (https://the-guild.dev/graphql/hive/docs/gateway/other-features/performance/upstream-cancellation).
    executionCancellation: true,
    upstreamCancellation: true,
  };
}

export function limitsPlugins(limits: GatewayLimits): GatewayPlugin[] {
  return [
    useGatewayDeadline(limits.requestTimeoutMs),
    useUpstreamTimeout(limits.upstreamTimeoutMs),
    usePersistedOperations(limits.persistedOperationsPath),
    useOperationLimits(limits),
    useSchemaExposure(limits.production),
    ...(limits.maxSubscriptionsPerKey > 0 ? [useSubscriptionCap(limits.maxSubscriptionsPerKey)] : []),
  ];
}
