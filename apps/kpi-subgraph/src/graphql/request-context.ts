import type { SubgraphContext, SubgraphRequest } from '@plant/graphql';
import { createKpiLoaders, KpiLoaders, KpiReadPorts } from './kpi-loaders';

/** Who acts (`acknowledgedBy`) is the identity's subject, never a header the caller set (a forged `x-user-id` means nothing). */
export interface RequestContext extends SubgraphContext {
  loaders: KpiLoaders;
}

/** The KPI loaders of one operation; no loader cache for a subscription (its context lives as long as it). */
export function createRequestContext(ports: KpiReadPorts, request: SubgraphRequest): RequestContext {
  return {
    identity: request.identity,
    loaders: createKpiLoaders(ports, { cache: !request.subscription }),
    signal: request.signal,
  };
}
