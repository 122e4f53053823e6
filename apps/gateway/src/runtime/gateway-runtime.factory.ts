import './cache-control-parser.shim';
import { createGatewayRuntime, GatewayConfigSupergraph, GatewayPlugin, GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler as rustPlannerHandler } from '@graphql-hive/router-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import { scopeKeyOf } from '@plant/auth';
import { identityOfContext, useAuthentication } from './authentication.plugin';
import { authorizationOptions } from './authorization';
import { useEmptySelectionsFilled } from './empty-selections.plugin';
import { useForwardIdentity } from './forward-identity.plugin';
import { GatewayAuthenticator } from './gateway-authenticator';
import { GatewayMetricsSink, useGatewayMetrics } from './metrics.plugin';
import { SharedSubscriptions } from './shared-subscriptions';
import { useSharedSubscriptions } from './shared-subscriptions.plugin';
import { maskGatewayError } from './mask-error';
import { responseCacheKey } from './response-cache-key';
import { useResponseCacheAsSent } from './response-cache.plugin';
import { useTypenameOutsidePlanner } from './typename-outside-planner.plugin';
import { InMemoryTtlCache } from './in-memory-ttl-cache';
import { createUpstreamWsTransport } from './upstream-ws.transport';
import type { GatewayLimits } from '../limits/limits.config';
import { limitsPlugins, limitsRuntimeOptions } from '../limits/limits.plugins';

export const GRAPHQL_PATH = '/graphql';

export interface PlantGatewayOptions {
  /** Supergraph SDL with the subgraph URLs already set for this environment. */
  supergraphSdl: string;
  queryPlanner: 'rust' | 'js';
  /** 0 disables the response cache. */
  responseCacheTtlMs: number;
  dedupeUpstream: boolean;
  shareSubscriptions: boolean;
  wsKeepAliveMs: number;
  upstreamWsRetries: number;
  /** Verifies callers and signs the identity forwarded to subgraphs (auth on or off). */
  auth: GatewayAuthenticator;
  metrics?: GatewayMetricsSink;
  logging?: GatewayConfigSupergraph['logging'];
  /** Operation limits, timeouts, persisted operations (docs/api-limits.md); none when absent. */
  limits?: GatewayLimits;
  /** The runtime's GraphiQL on /graphql for browsers (development only). */
  graphiql?: boolean;
  /** Extra plugins, e.g. tests that observe subgraph calls. */
  plugins?: GatewayPlugin[];
}

export interface PlantGateway {
  runtime: GatewayRuntime;
  sharedSubscriptions: SharedSubscriptions;
}

/** Hive Gateway runtime for the plant supergraph, with the team's transport and caching choices. */
export function createPlantGateway(options: PlantGatewayOptions): PlantGateway {
  const sharedSubscriptions = new SharedSubscriptions();
  const wsTransport = createUpstreamWsTransport({
    keepAliveMs: options.wsKeepAliveMs,
    retryAttempts: options.upstreamWsRetries,
    internalToken: (identity) => options.auth.internalToken(identity),
  });
  const runtime = createGatewayRuntime({
    supergraph: options.supergraphSdl,
    graphqlEndpoint: GRAPHQL_PATH,
    logging: options.logging ?? 'warn',
    landingPage: false,
    maskedErrors: { maskError: maskGatewayError },
    graphiql: options.graphiql ?? false,
    ...(options.limits ? limitsRuntimeOptions() : {}),
    // The Rust planner (router-runtime) plans ~1.7x faster than the JS one here and resolves each
    // subscription event's entity fields afresh; the JS planner needs its per-subscription
    // `_entities` cache off to do the same (NOTES.md: it served values seconds old).
    ...(options.queryPlanner === 'rust'
      ? { unifiedGraphHandler: rustPlannerHandler }
      : { __experimental__batchDelegateOptions: { cache: false } }),
    transports: { http: httpTransport, ws: wsTransport },
    transportEntries: {
      '*.http': {
        options: {
          // Identical in-flight subgraph requests are sent once (on by default in executor-http).
          deduplicateInflightRequests: options.dedupeUpstream,
          // Subgraph subscriptions over graphql-ws on the subgraph's own URL; without this the
          // gateway subscribes over HTTP and Apollo's CSRF prevention rejects it (NOTES.md).
          subscriptions: { kind: 'ws' },
        },
      },
    },
    cache: new InMemoryTtlCache(),
    // With authentication off every caller is an admin of every plant: nothing to authorize.
    genericAuth: options.auth.required ? authorizationOptions() : undefined,
    plugins: (context) => [
      // Authentication first: its onRequest answers 401 before any other plugin (the cache included) runs.
      useAuthentication(options.auth),
      useForwardIdentity(options.auth),
      // Limits after authentication: the allow-list and introspection depend on the caller's role.
      ...(options.limits ? limitsPlugins(options.limits) : []),
      // After generic-auth: a selection set it emptied would not parse in the planner.
      useEmptySelectionsFilled(),
      // Static __typenames answered here, not planned (a Rust planner bug under @provides).
      ...(options.queryPlanner === 'rust' ? [useTypenameOutsidePlanner()] : []),
      // Executes the client's operation as sent (the library alone rewrites it; docs/gateway.md).
      ...(options.responseCacheTtlMs > 0
        ? useResponseCacheAsSent(context, {
            ttl: options.responseCacheTtlMs,
            buildResponseCacheKey: responseCacheKey,
            // Never share a cached response between callers of different scopes (role and plants).
            session: (request: Request, ctx: object) => {
              const identity = identityOfContext(ctx, request);
              return identity ? scopeKeyOf(identity) : null;
            },
          })
        : []),
      ...(options.metrics ? [useGatewayMetrics(options.metrics)] : []),
      ...(options.shareSubscriptions ? [useSharedSubscriptions(sharedSubscriptions)] : []),
      ...(options.plugins ?? []),
    ],
  } as GatewayConfigSupergraph);
  return { runtime, sharedSubscriptions };
}
