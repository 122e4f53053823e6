import { ConfigError, loadConfig } from '@plant/config';
import { GatewayConfigSchema, subgraphUrlOverrides } from '../src/config';

describe('gateway config', () => {
  it('defaults to the Rust planner, a 1 s response cache and shared subscriptions', () => {
    const config = loadConfig(GatewayConfigSchema, {});
    expect(config.GATEWAY_QUERY_PLANNER).toBe('rust');
    expect(config.GATEWAY_RESPONSE_CACHE_TTL_MS).toBe(1_000);
    expect(config.GATEWAY_SHARE_SUBSCRIPTIONS).toBe(true);
  });

  it('refuses a response cache TTL above the 1 s staleness bound', () => {
    expect(() => loadConfig(GatewayConfigSchema, { GATEWAY_RESPONSE_CACHE_TTL_MS: '5000' })).toThrow(ConfigError);
  });

  it('maps the subgraph URL variables to graph names of the supergraph', () => {
    const config = loadConfig(GatewayConfigSchema, { KPI_SUBGRAPH_URL: 'https://kpi.example/graphql' });
    expect(subgraphUrlOverrides(config).kpi).toBe('https://kpi.example/graphql');
  });
});
