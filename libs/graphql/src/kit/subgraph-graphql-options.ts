import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { DynamicModule, InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { Identity } from '@plant/auth';
import type { MetricsRegistry } from '@plant/observability';
import { formatGraphQLError, PublicMessages } from '../api-errors';
import { FEDERATION } from '../federation';
import { operationMetricsPlugin } from '../operation-metrics.plugin';
import { callerGoneSignal, requestDeadlinePlugin } from '../request-deadline.plugin';
import type { SubgraphAuth, SubgraphTransport } from '../subgraph-auth';

/** What every subgraph's request context starts from. */
export interface SubgraphContext {
  /** The caller as the gateway vouched for it (signed internal identity); plant scoping starts here. */
  identity: Identity;
  /** Aborted when the gateway closes the HTTP request before the answer (the deadline plugin stops). */
  signal?: AbortSignal;
}

/** One GraphQL operation as the kit hands it to the app's context factory. */
export interface SubgraphRequest extends SubgraphContext {
  /**
   * True over graphql-ws: the context is built once per subscription and lives as long as it, so
   * per-request caches (DataLoader's) must be off there or every event would see the first one's values.
   */
  subscription: boolean;
}

export interface SubgraphGraphqlOptions<C extends object> {
  /** Verifies the gateway-signed identity (HTTP header, graphql-ws `connection_init`); 401 / 4403 without it. */
  auth: SubgraphAuth;
  metrics: MetricsRegistry;
  /** Per-request deadline (SUBGRAPH_REQUEST_DEADLINE_MS). */
  requestDeadlineMs: number;
  /** What clients read instead of a backend error's own message (`UNAVAILABLE`). */
  publicMessages: PublicMessages;
  /** The app's context of one operation (its loaders, services), built after the caller was verified. */
  context: (request: SubgraphRequest) => C;
  /** Entity types the subgraph only extends (no root field returns them), e.g. history's `Asset`. */
  orphanedTypes?: NonNullable<NonNullable<ApolloFederationDriverConfig['buildSchemaOptions']>['orphanedTypes']>;
  /** Serve graphql-ws subscriptions on the same path (off: the WebSocket upgrade is refused). */
  subscriptions?: boolean;
}

/**
 * The GraphQL module options of every code-first Federation 2 subgraph: SubgraphAuth in front of
 * every operation, the per-request deadline, operation metrics, error codes with public messages,
 * no stack traces, no Apollo Studio traces. The app adds only its resolvers and its context.
 */
export function subgraphGraphqlOptions<C extends object>(options: SubgraphGraphqlOptions<C>): Omit<ApolloFederationDriverConfig, 'driver'> {
  const { auth, metrics, requestDeadlineMs, publicMessages, context, orphanedTypes, subscriptions } = options;
  return {
    path: '/graphql',
    // Always in memory: NestJS's file writer drops the federation directives (see subgraph-sdl.ts);
    // the SDL file is written from `_service.sdl` instead (on boot in development, npm run sdl:<name>).
    autoSchemaFile: { federation: FEDERATION },
    ...(orphanedTypes ? { buildSchemaOptions: { orphanedTypes } } : {}),
    playground: false,
    // The gateway serves introspection to clients by its own rules; the subgraph answers it for tooling.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatGraphQLError(formatted, error, publicMessages),
    // Federated traces (ftv1) are an Apollo Studio feature; the Hive gateway does not ask for them.
    plugins: [operationMetricsPlugin(metrics), requestDeadlinePlugin(requestDeadlineMs), ApolloServerPluginInlineTraceDisabled()],
    // Apollo calls this with `{ req, res }` per HTTP operation, graphql-ws with `{ extra }` once per subscription.
    context: async (transport: SubgraphTransport): Promise<C> =>
      context({ identity: await auth.identityOfTransport(transport), signal: callerGoneSignal(transport.res), subscription: transport.req === undefined }),
    // graphql-ws pings every 12 s by default (keep-alive) and drops sockets that stop answering.
    ...(subscriptions ? { subscriptions: { 'graphql-ws': auth.graphqlWsOptions(publicMessages) } } : {}),
  };
}

export interface SubgraphGraphqlModuleOptions<C extends object> extends Pick<ModuleMetadata, 'imports'> {
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory: (...dependencies: any[]) => SubgraphGraphqlOptions<C> | Promise<SubgraphGraphqlOptions<C>>;
}

/** `GraphQLModule.forRootAsync` with the Apollo federation driver and `subgraphGraphqlOptions`. */
export function subgraphGraphqlModule<C extends object>({ imports, inject, useFactory }: SubgraphGraphqlModuleOptions<C>): DynamicModule {
  return GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    imports,
    inject,
    useFactory: async (...dependencies: unknown[]) => subgraphGraphqlOptions(await useFactory(...dependencies)),
  });
}
