import { ConfigError, loadConfig } from '@plant/config';
import { GatewayConfigSchema, subgraphUrlOverrides } from '../src/config';
import { limitsOf } from '../src/limits/limits.config';

const INTERNAL = { INTERNAL_AUTH_SECRET: 'internal-secret-0123456789-0123456789' };

describe('gateway config', () => {
  it('defaults to the Rust planner, a 1 s response cache and shared subscriptions', () => {
    const config = loadConfig(GatewayConfigSchema, INTERNAL);
    expect(config.GATEWAY_QUERY_PLANNER).toBe('rust');
    expect(config.GATEWAY_RESPONSE_CACHE_TTL_MS).toBe(1_000);
    expect(config.GATEWAY_SHARE_SUBSCRIPTIONS).toBe(true);
  });

  it('refuses a response cache TTL above the 1 s staleness bound', () => {
    expect(() => loadConfig(GatewayConfigSchema, { ...INTERNAL, GATEWAY_RESPONSE_CACHE_TTL_MS: '5000' })).toThrow(ConfigError);
  });

  it('has the documented limit defaults (docs/api-limits.md)', () => {
    const limits = limitsOf(loadConfig(GatewayConfigSchema, INTERNAL));
    expect(limits).toEqual({
      maxDepth: 10,
      maxAliases: 15,
      maxRootFields: 10,
      maxTokens: 1_000,
      maxDirectives: 20,
      maxCost: 50_000,
      assumedListSize: 10,
      rateLimitPerToken: 200,
      rateLimitPerIp: 100,
      maxSubscriptionsPerKey: 100,
      requestTimeoutMs: 10_000,
      upstreamTimeoutMs: 8_000,
      persistedOperationsPath: undefined,
      production: false,
    });
  });

  it('lets the limits be turned off only outside production', () => {
    expect(loadConfig(GatewayConfigSchema, { ...INTERNAL, GATEWAY_LIMITS_ENABLED: 'false' }).GATEWAY_LIMITS_ENABLED).toBe(false);
    expect(() => loadConfig(GatewayConfigSchema, { ...INTERNAL, GATEWAY_LIMITS_ENABLED: 'false', NODE_ENV: 'production' })).toThrow(/GATEWAY_LIMITS_ENABLED/);
  });

  it('refuses a limit out of its bounds, naming the variable', () => {
    expect(() => loadConfig(GatewayConfigSchema, { ...INTERNAL, GATEWAY_MAX_DEPTH: '0' })).toThrow(/GATEWAY_MAX_DEPTH/);
    expect(() => loadConfig(GatewayConfigSchema, { ...INTERNAL, GATEWAY_MAX_COST: 'lots' })).toThrow(/GATEWAY_MAX_COST/);
  });

  it('maps the subgraph URL variables to graph names of the supergraph', () => {
    const config = loadConfig(GatewayConfigSchema, { ...INTERNAL, KPI_SUBGRAPH_URL: 'https://kpi.example/graphql' });
    expect(subgraphUrlOverrides(config).kpi).toBe('https://kpi.example/graphql');
  });

  it('requires authentication and an internal secret by default', () => {
    expect(loadConfig(GatewayConfigSchema, INTERNAL).GATEWAY_AUTH).toBe('required');
    expect(() => loadConfig(GatewayConfigSchema, {})).toThrow(/INTERNAL_AUTH_SECRET is missing/);
  });

  it('refuses auth off and the well-known local JWT secret when NODE_ENV=production', () => {
    const production = { ...INTERNAL, NODE_ENV: 'production' };
    expect(() => loadConfig(GatewayConfigSchema, { ...production, GATEWAY_AUTH: 'off', JWT_JWKS_URL: 'https://idp.example/jwks.json' })).toThrow(
      /GATEWAY_AUTH is "off": must not be off when NODE_ENV=production/,
    );
    expect(() => loadConfig(GatewayConfigSchema, production)).toThrow(/JWT_JWKS_URL is missing: must be set when NODE_ENV=production/);
    expect(loadConfig(GatewayConfigSchema, { ...production, JWT_JWKS_URL: 'https://idp.example/jwks.json' }).GATEWAY_AUTH).toBe('required');
    expect(loadConfig(GatewayConfigSchema, { ...INTERNAL, GATEWAY_AUTH: 'off' }).GATEWAY_AUTH).toBe('off');
  });
});
