import { performance } from 'node:perf_hooks';
import { hierarchies, LINE } from '../../apps/kpi-subgraph/test/support/kpi-fixtures';
import { startSecuredPlatform } from '../../test/security/secured-platform';
import { bearer } from '../../test/support/auth-tokens';
import { generateEvents, writeLakeFixtures } from '../../test/support/lake-fixtures';

/**
 * A 90-day daily OEE report of one line through the gateway (history-subgraph → LakeQuery →
 * Athena over the refined zone), cold and cached:
 * - cold: ranges no earlier request read (each sample ends one day later), so the history
 *   subgraph's lake cache misses and Athena runs the query;
 * - cached: the same range again under a new alias, so the gateway's response cache misses (a new
 *   document) while the lake cache hits (same statement text + parameters, finished days).
 * Medians of `samples` requests each. Exported for `bench:trends`, which folds it into its line.
 */
export interface Report90dResult {
  report90dColdMs: number;
  report90dCachedMs: number;
  /** Days in each answer (90 when the refined zone holds them). */
  report90dDays: number;
  /** Baseline in the same run: the same line through the gateway without the report (kpi-subgraph only). */
  lineOnlyMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export async function measureReport90d(options: {
  gatewayUrl: string;
  headers: Record<string, string>;
  lineId: string;
  /** First day of the refined data; the samples' ranges start on it or a few days later. */
  firstDay: string;
  samples?: number;
}): Promise<Report90dResult> {
  const samples = options.samples ?? 5;
  let days = 0;
  const request = async (alias: string, from: string): Promise<number> => {
    const to = addDays(from, 89);
    const query = `{ line(id: "${options.lineId}") { ${alias}: dailyKpis(from: "${from}", to: "${to}") { day oee availability performance quality goodCount scrapCount } } }`;
    const started = performance.now();
    const res = await fetch(options.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify({ query }) });
    const body = (await res.json()) as { data?: { line?: Record<string, unknown[]> }; errors?: unknown[] };
    const elapsed = performance.now() - started;
    if (body.errors || !body.data?.line) throw new Error(`report request failed: ${JSON.stringify(body.errors ?? body)}`);
    days = body.data.line[alias].length;
    return elapsed;
  };
  const lineOnly = async (alias: string): Promise<number> => {
    const started = performance.now();
    const res = await fetch(options.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify({ query: `{ ${alias}: line(id: "${options.lineId}") { id } }` }) });
    await res.json();
    return performance.now() - started;
  };
  const cold: number[] = [];
  const cached: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < samples; i++) {
    const from = addDays(options.firstDay, i);
    cold.push(await request(`cold${i}`, from));
    cached.push(await request(`cached${i}`, from));
    baseline.push(await lineOnly(`base${i}`));
  }
  const ms = (values: number[]) => Math.round(median(values) * 10) / 10;
  return { report90dColdMs: ms(cold), report90dCachedMs: ms(cached), report90dDays: days, lineOnlyMs: ms(baseline) };
}

const FIRST_DAY = '2026-01-01';

/**
 * The whole report measurement on its own platform (gateway, kpi and history subgraphs, local AWS
 * stack, authentication on) over refined and curated Parquet generated for 94 days of the fixture
 * plant: what `bench:reports` prints and `bench:trends` folds into its line.
 */
export async function report90dOnFixturePlant(samples = 5): Promise<Report90dResult & { events: number }> {
  const platform = await startSecuredPlatform();
  try {
    const events = generateEvents(hierarchies, FIRST_DAY, 94);
    await writeLakeFixtures(platform.lakeDir, events);
    const result = await measureReport90d({ gatewayUrl: platform.gateway.url, headers: await bearer('analyst'), lineId: LINE, firstDay: FIRST_DAY, samples });
    return { ...result, events: events.length };
  } finally {
    await platform.stop();
  }
}
