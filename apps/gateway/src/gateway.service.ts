import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '@plant/config';
import { HealthRegistry, MetricsRegistry } from '@plant/observability';
import { INTERNAL_IDENTITY_HEADER } from '@plant/auth';
import { GatewayConfig, subgraphUrlOverrides } from './config';
import { AUTH_OFF_IDENTITY, GatewayAuthenticator } from './runtime/gateway-authenticator';
import { limitsOf } from './limits/limits.config';
import { bodyErrorsMiddleware } from './limits/body-errors.middleware';
import { rateLimitMiddleware } from './limits/rate-limit.middleware';
import { attachGraphQLWs, GraphQLWsEndpoint } from './graphql-ws.server';
import { createPlantGateway, GRAPHQL_PATH, PlantGateway } from './runtime/gateway-runtime.factory';
import { GatewayMetricsSink } from './runtime/metrics.plugin';
import { overrideSubgraphUrls, readSupergraph, subgraphsOf } from './supergraph/supergraph-file';

const SUBGRAPH_PROBE_TIMEOUT_MS = 1_500;

/** Extra runtime plugins given to `GatewayModule.forRoot` (tests that stand in for the auth work). */
export const GATEWAY_EXTRA_PLUGINS = Symbol('GATEWAY_EXTRA_PLUGINS');

/**
 * Owns the Hive Gateway runtime inside the Nest app: builds it from the committed supergraph (URLs
 * from config), loads the schema before the app listens, serves HTTP/SSE on /graphql through
 * express and graphql-ws on the same path, and reports readiness and metrics.
 */
@Injectable()
export class GatewayService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Gateway');
  private gateway?: PlantGateway;
  private ws?: GraphQLWsEndpoint;
  private probeIdentity: () => string | Promise<string> = () => '';

  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly health: HealthRegistry,
    private readonly metrics: MetricsRegistry,
    @Optional() @Inject(GATEWAY_EXTRA_PLUGINS) private readonly extraPlugins: GatewayPlugin[] = [],
  ) {}

  get plantGateway(): PlantGateway {
    if (!this.gateway) throw new Error('gateway not started');
    return this.gateway;
  }

  async onModuleInit(): Promise<void> {
    const auth = gatewayAuthenticatorOf(this.config);
    const supergraphSdl = overrideSubgraphUrls(readSupergraph(this.config.SUPERGRAPH_PATH), subgraphUrlOverrides(this.config));
    const gateway = createPlantGateway({
      supergraphSdl,
      queryPlanner: this.config.GATEWAY_QUERY_PLANNER,
      responseCacheTtlMs: this.config.GATEWAY_RESPONSE_CACHE_TTL_MS,
      dedupeUpstream: this.config.GATEWAY_DEDUPE_UPSTREAM,
      shareSubscriptions: this.config.GATEWAY_SHARE_SUBSCRIPTIONS,
      wsKeepAliveMs: this.config.GATEWAY_WS_KEEPALIVE_MS,
      upstreamWsRetries: this.config.GATEWAY_UPSTREAM_WS_RETRIES,
      auth,
      metrics: this.metricsSink(),
      limits: this.config.GATEWAY_LIMITS_ENABLED ? limitsOf(this.config) : undefined,
      graphiql: this.config.NODE_ENV === 'development',
      plugins: this.extraPlugins,
      logging: this.config.LOG_LEVEL === 'silent' || this.config.LOG_LEVEL === 'fatal' ? false : hiveLevel(this.config.LOG_LEVEL),
    });
    this.gateway = gateway;
    // Load the schema now: a WebSocket subscription arriving before the first HTTP request would
    // otherwise fail with "Expected null to be a GraphQL schema" (NOTES.md).
    await gateway.runtime.getSchema();

    const http = this.adapterHost.httpAdapter;
    const handler = (req: Request, res: Response) => void gateway.runtime(req, res);
    const on = this.config.GATEWAY_LIMITS_ENABLED;
    const rateLimit = rateLimitMiddleware({
      perToken: on ? this.config.GATEWAY_RATE_LIMIT_PER_TOKEN : 0,
      perIp: on ? this.config.GATEWAY_RATE_LIMIT_PER_IP : 0,
      verifies: (authorization) => auth.authenticate(authorization).then(() => true, () => false),
    });
    http.getInstance<{ use(path: string, ...h: unknown[]): void }>().use(GRAPHQL_PATH, rateLimit, handler, bodyErrorsMiddleware());
    this.ws = attachGraphQLWs(http.getHttpServer() as Server, gateway.runtime, GRAPHQL_PATH, this.config.GATEWAY_WS_KEEPALIVE_MS, auth);
    this.probeIdentity = () => auth.internalToken(PROBE_IDENTITY);
    this.registerHealthChecks(supergraphSdl);
    this.log.log(`GraphQL on ${GRAPHQL_PATH} (HTTP, SSE, graphql-ws); planner ${this.config.GATEWAY_QUERY_PLANNER}; authentication ${this.config.GATEWAY_AUTH}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ws?.close();
    await this.gateway?.runtime.dispose();
  }

  private registerHealthChecks(supergraphSdl: string): void {
    this.health.register({
      name: 'supergraph',
      check: async () => {
        if (!(await this.gateway?.runtime.getSchema())) throw new Error('schema not loaded');
      },
    });
    for (const { name, url } of subgraphsOf(supergraphSdl)) {
      this.health.register({ name: `subgraph:${name}`, check: async () => probeSubgraph(url, await this.probeIdentity()) });
    }
  }

  private metricsSink(): GatewayMetricsSink {
    const operations = this.metrics.counter('gateway_operations_total', 'GraphQL operations received, by type', ['type']);
    const subscriptions = this.metrics.gauge('gateway_subscriptions_active', 'Client subscriptions currently open');
    const upstreamErrors = this.metrics.counter(
      'gateway_upstream_errors_total',
      'Subgraph results (or subscription events) that carried errors, by subgraph',
      ['subgraph'],
    );
    return {
      operation: (type) => operations.inc({ type }),
      subscriptionOpened: () => subscriptions.inc(),
      subscriptionClosed: () => subscriptions.dec(),
      upstreamError: (subgraph) => upstreamErrors.inc({ subgraph }),
    };
  }
}

/** The readiness probe's identity towards subgraphs (they refuse requests without one). */
const PROBE_IDENTITY = { ...AUTH_OFF_IDENTITY, subject: 'gateway-readiness-probe' };

function gatewayAuthenticatorOf(config: GatewayConfig): GatewayAuthenticator {
  return new GatewayAuthenticator({
    mode: config.GATEWAY_AUTH,
    keys: config.JWT_JWKS_URL ? { jwksUrl: config.JWT_JWKS_URL } : { hs256Secret: config.JWT_HS256_SECRET },
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    claims: { role: config.JWT_ROLE_CLAIM, plants: config.JWT_PLANTS_CLAIM },
    internalSecret: config.INTERNAL_AUTH_SECRET,
  });
}

/** A subgraph is ready when it answers `{ __typename }` over GraphQL. */
async function probeSubgraph(url: string, internalIdentity: string): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [INTERNAL_IDENTITY_HEADER]: internalIdentity },
    body: JSON.stringify({ query: '{ __typename }' }),
    signal: AbortSignal.timeout(SUBGRAPH_PROBE_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as { data?: { __typename?: string } };
  if (body.data?.__typename !== 'Query') throw new Error('no GraphQL answer');
}

function hiveLevel(level: GatewayConfig['LOG_LEVEL']): 'trace' | 'debug' | 'info' | 'warn' | 'error' {
  switch (level) {
    case 'trace':
    case 'debug':
    case 'info':
    case 'warn':
    case 'error':
      return level;
    case 'fatal':
    case 'silent':
      return 'error';
  }
}
