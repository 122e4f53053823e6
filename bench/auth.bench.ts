/**
 * `npm run bench:auth`: what authentication, authorization and the limits cost the gateway.
 *
 * The same gateway (Nest + Hive runtime, 1 s response cache and merging on, as deployed) over the
 * same fixture subgraphs (test/federation-fixtures, in-memory, own process), in two settings measured
 * in alternating rounds (on, off, on, off, …) so that a drift of the shared machine's load hits both:
 * - on: `GATEWAY_AUTH=required` (JWT verified per request, identity signed for the subgraphs,
 *   generic-auth over the schema's auth directives) and `GATEWAY_LIMITS_ENABLED=true` (depth,
 *   aliases, root fields, tokens, directives, cost, rate limits per token and per IP, subscription
 *   cap, deadlines);
 * - off: both off (the configuration refuses that with NODE_ENV=production).
 * Load: the dashboard mix of bench:gateway at 10 connections; 50 analysts' tokens in rotation (as 50
 * BI clients: each stays under its per-token rate limit). The per-IP limit is off in both settings:
 * the load generator is one IP. Figures per setting: median req/s over the rounds and the p99 of the
 * median round. Last line: one JSON object, `ratioAuthOnVsOff` = on / off (target ≥ 0.9).
 */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { startGateway } from '../apps/gateway/test/gateway-harness';
import { spawnFixtureProcess } from '../test/federation-fixtures/fixture-process';
import { analystTokens, mixRequest } from './support/dashboard-mix';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const CLIENTS = 50;

interface Round {
  reqPerSec: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

const SETTINGS = {
  on: { GATEWAY_AUTH: 'required', GATEWAY_LIMITS_ENABLED: 'true' },
  off: { GATEWAY_AUTH: 'off', GATEWAY_LIMITS_ENABLED: 'false' },
} as const;

async function round(url: string, tokens: string[], seconds: number): Promise<Round> {
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [mixRequest(tokens) as any],
  });
  return { reqPerSec: Math.round(r.requests.average), p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const tokens = await analystTokens(CLIENTS);
  const fixtures = await spawnFixtureProcess();
  const load0 = loadavg()[0];
  const gateways = {
    on: await startGateway(fixtures.supergraphSdl, { ...SETTINGS.on, LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_IP: '0' }),
    off: await startGateway(fixtures.supergraphSdl, { ...SETTINGS.off, LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_IP: '0' }),
  };
  const rounds: Record<keyof typeof SETTINGS, Round[]> = { on: [], off: [] };
  try {
    // Warm-up of both: JIT, plan caches, keep-alive sockets to the subgraphs, token caches.
    for (const name of ['on', 'off'] as const) await round(gateways[name].url, tokens, 2);
    for (let i = 0; i < ROUNDS; i++) {
      for (const name of ['on', 'off'] as const) {
        const result = await round(gateways[name].url, tokens, SECONDS);
        rounds[name].push(result);
        console.log(`round ${i + 1} ${name}: ${JSON.stringify(result)}`);
      }
    }
  } finally {
    await Promise.all([gateways.on.stop(), gateways.off.stop()]);
    await fixtures.stop();
  }
  const summary = (name: keyof typeof SETTINGS) => {
    const reqPerSec = median(rounds[name].map((r) => r.reqPerSec));
    const middle = rounds[name].find((r) => r.reqPerSec === reqPerSec)!;
    return {
      reqPerSec,
      p99Ms: middle.p99Ms,
      non2xx: rounds[name].reduce((n, r) => n + r.non2xx, 0),
      errors: rounds[name].reduce((n, r) => n + r.errors, 0),
      rounds: rounds[name].map((r) => r.reqPerSec),
    };
  };
  const on = summary('on');
  const off = summary('off');
  console.log(
    JSON.stringify({
      bench: 'auth',
      mix: 'bench:gateway dashboard mix, 10 connections, 50 analyst tokens in rotation, response cache 1 s',
      secondsPerRound: SECONDS,
      rounds: ROUNDS,
      loadAverageAtStart: Math.round(load0 * 100) / 100,
      loadAverageAtEnd: Math.round(loadavg()[0] * 100) / 100,
      authAndLimitsOn: on,
      authAndLimitsOff: off,
      ratioAuthOnVsOff: Math.round((on.reqPerSec / Math.max(1, off.reqPerSec)) * 100) / 100,
      target: 0.9,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
