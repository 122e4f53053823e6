import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeServices } from '@theguild/federation-composition';
import { buildSchema, GraphQLSchema, parse } from 'graphql';
import { estimateCost } from '../src/limits/cost-estimate';
import { loadConfig } from '@plant/config';
import { GatewayConfigSchema } from '../src/config';
import { SUBGRAPHS } from '../../../tools/compose/subgraphs.config';

const ROOT = resolve(__dirname, '../../..');
const defaults = loadConfig(GatewayConfigSchema, { INTERNAL_AUTH_SECRET: 'internal-secret-0123456789-0123456789' });
const MAX = defaults.GATEWAY_MAX_COST;
const ASSUMED = defaults.GATEWAY_ASSUMED_LIST_SIZE;

/** The API schema clients see: the committed subgraph SDLs composed like `npm run compose`. */
function apiSchema(): GraphQLSchema {
  const result = composeServices(
    SUBGRAPHS.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(readFileSync(resolve(ROOT, s.sdlPath), 'utf8')) })),
  );
  if (!('publicSdl' in result) || !result.publicSdl) throw new Error('composition failed');
  return buildSchema(result.publicSdl);
}

describe('cost estimate (Apollo demand control model) over the real API schema', () => {
  const schema = apiSchema();
  const cost = (query: string, variables?: Record<string, unknown>) => estimateCost(schema, parse(query), variables, undefined, ASSUMED);

  it('multiplies a connection’s edges by first, and nested lists by each other', () => {
    // line 1 + assets 1 + edges 6 + node 6 + kpi 6 = 20
    expect(cost('{ line(id: "l") { assets(first: 6) { edges { node { id kpi { oee } } } } } }')).toBe(20);
    // plants 10 × (1 + lines 10 × 1) = 110: lists without first/last count the assumed size
    expect(cost('{ plants { lines { id } } }')).toBe(10 + 100);
    expect(cost('query Q($n: Int!) { alerts(first: $n) { edges { node { id } } } }', { n: 50 })).toBe(1 + 50 + 50);
  });

  it('uses the schema default of first when it is not given', () => {
    expect(cost('{ line(id: "l") { assets { edges { node { id } } } } }')).toBe(1 + 1 + 20 + 20);
  });

  it('adds 10 for a mutation', () => {
    expect(cost('mutation { acknowledgeAlert(alertId: "a") { id } }')).toBe(10 + 1);
  });

  it('counts a fragment spread many times once per spread, without walking it again', () => {
    const fragments = `fragment K on Line { kpi { oee } } fragment M on Line { ...K ...K ...K }`;
    expect(cost(`{ line(id: "l") { ...M } } ${fragments}`)).toBe(1 + 3);
  });

  it('lets the dashboard’s hierarchy query and the README example through the default budget', () => {
    const dashboard = readFileSync(resolve(ROOT, 'apps/gateway/dashboard/dashboard.js'), 'utf8').match(/const HIERARCHY = `([^`]*)`/)![1];
    const kpiFields = 'scopeId oee availability performance quality throughputPerHour goodCount scrapCount updatedAt';
    expect(cost(dashboard.replace('${KPI_FIELDS}', kpiFields), { window: 'ONE_MINUTE' })).toBeLessThanOrEqual(MAX);
    const readme = `{ line(id: "plt1-l1") { kpi { oee } assets(first: 6) { edges { node { id state { state } kpi { oee }
      trend(measure: "vibration", last: "15m", bucket: "1m") { unit points { time avg max } } } } pageInfo { hasNextPage } } } }`;
    expect(cost(readme)).toBeLessThanOrEqual(MAX);
  });

  it('refuses the issue’s aliased killer from two aliases on, and its nested walker from three levels on', () => {
    const one = (i: number) => `a${i}: plants { lines { assets(first: 100) { edges { node { kpi { oee } } } } } }`;
    expect(cost(`{ ${one(0)} }`)).toBeLessThanOrEqual(MAX);
    expect(cost(`{ ${one(0)} ${one(1)} }`)).toBeGreaterThan(MAX);
    const walk = (levels: number) =>
      `{ line(id: "l") { ${'assets(first: 100) { edges { node { line { '.repeat(levels)}id${' } } } }'.repeat(levels)} } }`;
    expect(cost(walk(2))).toBe(30_402); // 10,000 assets, as many as the dashboard reads: allowed
    expect(cost(walk(3))).toBeGreaterThan(MAX);
  });

  it('prices a trend at one per bucket of its range: a 7-day 1-minute trend is affordable, five of them are not', () => {
    const week = (alias: string) => `${alias}: asset(id: "a") { trend(measure: "m", last: "7d", bucket: "1m", aggregates: [AVG, P95]) { points { avg p95 } } }`;
    // asset 1 + trend 1 + points 10,081 (an unaligned 7-day range overlaps one bucket more than it holds)
    expect(cost(`{ ${week('a')} }`)).toBe(1 + 1 + 10_081);
    expect(cost(`{ ${['a', 'b', 'c', 'd', 'e'].map(week).join(' ')} }`)).toBeGreaterThan(MAX);
    expect(cost('{ line(id: "l") { trend(measure: "m", from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z", bucket: "1h") { points { avg } } } }')).toBe(1 + 1 + 25);
    expect(cost('query ($b: String!) { plant(id: "p") { trend(measure: "m", last: "31d", bucket: $b) { points { avg } } } }', { b: '10s' })).toBeGreaterThan(MAX);
    // the subgraph's defaults (1h of 1-minute buckets) when range and bucket are left out
    expect(cost('{ assetTrend(assetId: "a", measure: "m") { points { avg } } }')).toBe(1 + 61);
  });

  it('prices kpis(window, from, to) at one per window instance of the range', () => {
    // line 1 + 8 quarter hours (an aligned 2-hour range overlaps at most one more)
    expect(cost('{ line(id: "l") { kpis(window: FIFTEEN_MINUTES, from: "2026-11-30T06:00:00Z", to: "2026-11-30T08:00:00Z") { oee } } }')).toBe(1 + 9);
    const twoDaysOfMinutes = (alias: string) => `${alias}: asset(id: "a") { kpis(window: ONE_MINUTE, from: "2026-11-28T00:00:00Z", to: "2026-11-30T00:00:00Z") { oee } }`;
    expect(cost(`{ ${twoDaysOfMinutes('a')} }`)).toBe(1 + 2_881);
    expect(cost(`{ ${Array.from({ length: 20 }, (_, i) => twoDaysOfMinutes(`a${i}`)).join(' ')} }`)).toBeGreaterThan(MAX);
  });
});
