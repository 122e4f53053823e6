import { resolve } from 'node:path';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriverConfig } from '@nestjs/apollo';
import type { KpiRepository } from '@plant/domain';
import type { MetricsRegistry } from '@plant/observability';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { GraphQLFormattedError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { formatGraphQLError } from './api-errors';
import { operationMetricsPlugin } from './operation-metrics.plugin';
import { createRequestContext } from './request-context';

/** The committed subgraph SDL that `npm run compose` reads; `npm run sdl:kpi` rewrites it. */
export const SDL_PATH = 'apps/kpi-subgraph/schema.graphql';
export const SDL_FILE = resolve(__dirname, '../../schema.graphql');

/**
 * Federation 2 must be set explicitly: without it NestJS prints Federation 1 SDL and composition
 * fails (NOTES.md). NestJS 13.4 defaults to federation v2.12 importing @cacheTag and friends, which
 * @theguild/federation-composition 0.27 (our compose script, Hive gateway) does not know (it stops
 * at v2.9); v2.6 is the first with all three auth directives the gateway enforces (DESIGN.md §5).
 */
export const FEDERATION = {
  version: 2 as const,
  importUrl: 'https://specs.apollo.dev/federation/v2.6',
  directives: ['@key', '@shareable', '@external', '@requires', '@provides', '@tag', '@inaccessible', '@authenticated', '@requiresScopes', '@policy'],
};

export interface GraphqlOptionsInput {
  repository: KpiRepository;
  metrics: MetricsRegistry;
}

export function graphqlOptions({ repository, metrics }: GraphqlOptionsInput): Omit<ApolloFederationDriverConfig, 'driver'> {
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
    plugins: [operationMetricsPlugin(metrics), ApolloServerPluginInlineTraceDisabled()],
    context: (transport: Parameters<typeof createRequestContext>[1]) => createRequestContext(repository, transport),
    // graphql-ws pings every 12 s by default (keep-alive) and drops sockets that stop answering.
    subscriptions: { 'graphql-ws': graphqlWsErrorFormatting },
  };
}

/**
 * Subscription results bypass Apollo Server, so errors get the same codes and redaction here:
 * `onNext` for errors in events and in subscribe (bad arguments), `onError` for validation errors.
 * NestJS's type omits `onError` although it passes every option on to graphql-ws' useServer.
 */
const graphqlWsErrorFormatting = {
  onNext: (_ctx, _id, _payload, _args, result) =>
    result.errors ? { ...result, errors: result.errors.map((e) => formatGraphQLError(e.toJSON(), e)) } : undefined,
  onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatGraphQLError(e.toJSON(), e)),
} satisfies Partial<ServerOptions> as GraphQLWsSubscriptionsConfig;
