import { callerGoneSignal } from '@plant/graphql';
import type { KpiRepository } from '@plant/domain';
import type { Identity } from '@plant/auth';
import type { SubgraphTransport } from '@plant/graphql';
import { createKpiLoaders, KpiLoaders } from './kpi-loaders';

export interface RequestContext {
  /** The caller as the gateway vouched for it (signed internal identity); plant scoping starts here. */
  /** Who acts (`acknowledgedBy`) is its subject, never a header the caller set (a forged `x-user-id` means nothing). */
  identity: Identity;
  loaders: KpiLoaders;
  /** Aborted when the gateway closes the HTTP request before the answer (the deadline plugin stops). */
  signal?: AbortSignal;
}

/**
 * The GraphQL context for both transports: Apollo calls the context function with `{ req }` per
 * HTTP operation, graphql-ws with `{ extra: { request } }` once per subscription (no loader cache
 * there: the context lives as long as the subscription).
 */
export function createRequestContext(repository: KpiRepository, transport: SubgraphTransport, identity: Identity): RequestContext {
  const subscription = transport.req === undefined;
  return {
    identity,
    loaders: createKpiLoaders(repository, { cache: !subscription }),
    signal: callerGoneSignal(transport.res),
  };
}
