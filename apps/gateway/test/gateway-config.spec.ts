import { ConfigError, loadConfig } from '@plant/config';
import { GatewayConfigSchema, subgraphUrlOverrides } from '../src/config';

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
