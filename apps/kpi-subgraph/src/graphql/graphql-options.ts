import { resolve } from 'node:path';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriverConfig } from '@nestjs/apollo';
import type { KpiRepository } from '@plant/domain';
import type { MetricsRegistry } from '@plant/observability';
import type { GraphQLFormattedError } from 'graphql';
import { FEDERATION, operationMetricsPlugin, requestDeadlinePlugin, SubgraphAuth, SubgraphTransport } from '@plant/graphql';
import { formatGraphQLError, KPI_PUBLIC_MESSAGES } from './api-errors';
import { createRequestContext } from './request-context';

/** The committed subgraph SDL that `npm run compose` reads; `npm run sdl:kpi` rewrites it. */
export const SDL_PATH = 'apps/kpi-subgraph/schema.graphql';
export const SDL_FILE = resolve(__dirname, '../../schema.graphql');
export const SDL_COMMAND = 'npm run sdl:kpi';

export interface GraphqlOptionsInput {
  repository: KpiRepository;
  metrics: MetricsRegistry;
  auth: SubgraphAuth;
  /** Per-request deadline (SUBGRAPH_REQUEST_DEADLINE_MS). */
  requestDeadlineMs: number;
}

export function graphqlOptions({ repository, metrics, auth, requestDeadlineMs }: GraphqlOptionsInput): Omit<ApolloFederationDriverConfig, 'driver'> {
  const formatError = (formatted: GraphQLFormattedError, error: unknown) => formatGraphQLError(formatted, error);
  return {
    path: '/graphql',
    // Always in memory: NestJS's file writer drops the federation directives (see subgraph-sdl.ts);
    // the SDL file is written from `_service.sdl` instead (on boot in development, npm run sdl:kpi).
    autoSchemaFile: { federation: FEDERATION },
    playground: false,
    // The gateway serves introspection to clients by its own rules; the subgraph answers it for tooling.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError,
    // Federated traces (ftv1) are an Apollo Studio feature; the Hive gateway does not ask for them.
    plugins: [operationMetricsPlugin(metrics), requestDeadlinePlugin(requestDeadlineMs), ApolloServerPluginInlineTraceDisabled()],
    // The caller is the identity the gateway signed; without one the request gets 401 (SubgraphAuth).
    context: async (transport: SubgraphTransport) => createRequestContext(repository, transport, await auth.identityOfTransport(transport)),
    // graphql-ws pings every 12 s by default (keep-alive) and drops sockets that stop answering.
    subscriptions: { 'graphql-ws': auth.graphqlWsOptions(KPI_PUBLIC_MESSAGES) },
  };
}
