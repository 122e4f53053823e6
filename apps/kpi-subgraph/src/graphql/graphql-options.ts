import type { MetricsRegistry } from '@plant/observability';
import { SubgraphAuth, SubgraphGraphqlOptions, subgraphSdlFile } from '@plant/graphql';
import { KPI_PUBLIC_MESSAGES } from './api-errors';
import type { KpiReadPorts } from './kpi-loaders';
import { createRequestContext, RequestContext } from './request-context';

/** The committed subgraph SDL that `npm run compose` reads; `npm run sdl:kpi` rewrites it. */
export const { path: SDL_PATH, file: SDL_FILE, command: SDL_COMMAND } = subgraphSdlFile('kpi');

export interface GraphqlOptionsInput {
  ports: KpiReadPorts;
  metrics: MetricsRegistry;
  auth: SubgraphAuth;
  /** Per-request deadline (SUBGRAPH_REQUEST_DEADLINE_MS). */
  requestDeadlineMs: number;
}

/** The shared subgraph options (libs/graphql kit) with the KPI loaders per request and graphql-ws subscriptions. */
export function graphqlOptions({ ports, metrics, auth, requestDeadlineMs }: GraphqlOptionsInput): SubgraphGraphqlOptions<RequestContext> {
  return {
    auth,
    metrics,
    requestDeadlineMs,
    publicMessages: KPI_PUBLIC_MESSAGES,
    subscriptions: true,
    context: (request) => createRequestContext(ports, request),
  };
}
