/**
 * `npm run bench:gateway`: our gateway (Nest + Hive Gateway runtime) against a plain @apollo/gateway
 * (ApolloServer + ApolloGateway, standalone) in the same run, same supergraph, same subgraphs.
 *
 * The two test subgraphs (test/federation-fixtures) serve their data from memory in their own
 * process, so the gateways are what is measured. Each gateway runs in its own process. Load:
 * autocannon with a KPI dashboard mix — random asset and line ids, current KPIs plus one field from
 * the second subgraph (`failureRisk`): 70 % one asset, 20 % one line with its 20 assets' OEE, 10 % a
 * line with every asset's failure risk. Each gateway: max throughput at 10 and 50 connections, then
 * p99 at a fixed 1,000 req/s. Ours runs in three settings: everything on (1 s response cache +
 * merged identical in-flight subgraph requests), cache off, and cache + merging off (engine only).
 * Before it is measured, each of our settings must answer the federated corpus
 * (apps/gateway/test/answer-corpus.ts) exactly like a gateway with every optimisation off; a
 * setting that changes an answer gets no ratio (`ratioVsApollo.<setting>` says why).
 * Last line: one JSON object with every figure.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { AnswerDifference, checkAnswersUnchanged } from '../apps/gateway/test/answer-corpus';
import { freePort, startGateway } from '../apps/gateway/test/gateway-harness';
import { spawnFixtureProcess } from '../test/federation-fixtures/fixture-process';
import { internalIdentity, testIdentity } from '../test/support/auth-tokens';
import { analystTokens, mixRequest } from './support/dashboard-mix';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const FIXED_RATE = 1_000;

interface RunFigures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** Subgraph HTTP requests per client request (how much caching/merging saved). */
  upstreamPerRequest: number;
}

interface GatewayFigures {
  c10: RunFigures;
  c50: RunFigures;
  rate1000: RunFigures & { achievedRate: number };
}

/** 50 analysts' tokens in rotation, as BI tools would send them (the Apollo baseline ignores them). */
let tokens: string[] = [];

function load(url: string, connections: number, seconds: number, overallRate?: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections,
    duration: seconds,
    overallRate,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [mixRequest(tokens) as any],
  });
}

async function measureGateway(
  label: string,
  url: string,
  upstreamRequests: () => Promise<number>,
): Promise<GatewayFigures> {
  await load(url, 10, 2); // warm-up: JIT, plan caches, upstream keep-alive sockets
  const run = async (connections: number, rate?: number): Promise<RunFigures & { achievedRate: number }> => {
    const before = await upstreamRequests();
    const r = await load(url, connections, SECONDS, rate);
    const upstream = (await upstreamRequests()) - before;
    const figures = {
      reqPerSec: Math.round(r.requests.average),
      achievedRate: Math.round(r.requests.total / SECONDS),
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      upstreamPerRequest: Math.round((upstream / Math.max(1, r.requests.total)) * 100) / 100,
    };
    console.log(`${label} ${rate ? `@${rate} req/s` : `${connections} conns`}: ${JSON.stringify(figures)}`);
    return figures;
  };
  const c10 = await run(10);
  const c50 = await run(50);
  const rate1000 = await run(50, FIXED_RATE);
  return { c10: strip(c10), c50: strip(c50), rate1000 };
}

function strip({ achievedRate: _, ...rest }: RunFigures & { achievedRate: number }): RunFigures {
  return rest;
}

/** Plain @apollo/gateway as the reference, in its own process (this file with `--apollo-gateway`). */
async function serveApolloGateway(port: number, supergraphPath: string): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
  // The subgraphs accept only a gateway-signed identity: the baseline sends one fixed identity,
  // signed once for the whole run (no per-request authentication work, unlike ours).
  const identity = await internalIdentity(testIdentity('admin'), undefined, 3_600);
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest: ({ request }) => Object.entries(identity).forEach(([k, v]) => request.http?.headers.set(k, v)),
      }),
  });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  process.send?.('ready');
}

async function startApolloGateway(supergraphSdl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'apollo-gw-'));
  const path = join(dir, 'supergraph.graphql');
  writeFileSync(path, supergraphSdl);
  const port = await freePort();
  const child = fork(__filename, ['--apollo-gateway', String(port), path], {
    execArgv: ['-r', '@swc-node/register'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`apollo gateway exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function main(): Promise<void> {
  tokens = await analystTokens();
  const fixtures = await spawnFixtureProcess();
  const upstream = async () => {
    const s = await fixtures.stats();
    return s.assetsHttpRequests + s.maintenanceHttpRequests;
  };
  const results: Record<string, GatewayFigures> = {};
  const load0 = loadavg()[0];

  const apollo = await startApolloGateway(fixtures.supergraphSdl);
  results.apolloGateway = await measureGateway('apollo-gateway', apollo.url, upstream);
  await apollo.stop();

  const settings: [string, Record<string, string>][] = [
    ['hiveCacheAndMerging', { GATEWAY_RESPONSE_CACHE_TTL_MS: '1000', GATEWAY_DEDUPE_UPSTREAM: 'true' }],
    ['hiveMergingOnly', { GATEWAY_RESPONSE_CACHE_TTL_MS: '0', GATEWAY_DEDUPE_UPSTREAM: 'true' }],
    ['hiveEngineOnly', { GATEWAY_RESPONSE_CACHE_TTL_MS: '0', GATEWAY_DEDUPE_UPSTREAM: 'false' }],
  ];
  const answerChecks: Record<string, { unchanged: boolean; differences: AnswerDifference[] }> = {};
  for (const [name, env] of settings) {
    const differences = await checkAnswersUnchanged(env);
    answerChecks[name] = { unchanged: differences.length === 0, differences: differences.slice(0, 5) };
    console.log(`${name}: corpus answers ${differences.length === 0 ? 'unchanged' : `differ in ${differences.length} operations`}`);
    // LOG_LEVEL warn: the per-request access log (pino-http, info) is off, as in a production
    // deployment that samples access logs elsewhere.
    // The load generator is one client IP without a token: the per-IP rate limit (100/s) is off.
    const gateway = await startGateway(fixtures.supergraphSdl, { ...env, LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_IP: '0' });
    results[name] = await measureGateway(name, gateway.url, upstream);
    await gateway.stop();
  }
  await fixtures.stop();

  const ratio = (name: string, key: 'c10' | 'c50') =>
    Math.round((results[name][key].reqPerSec / Math.max(1, results.apolloGateway[key].reqPerSec)) * 100) / 100;
  // A setting that changes an answer is not a faster gateway: no ratio for it.
  const ratios = (name: string) =>
    answerChecks[name].unchanged
      ? { c10: ratio(name, 'c10'), c50: ratio(name, 'c50') }
      : { excluded: `answers differ from every-optimisation-off in ${answerChecks[name].differences.length}+ corpus operations` };
  console.log(
    JSON.stringify({
      bench: 'gateway',
      mix: '70% asset KPIs+failureRisk, 20% line OEE (20 assets), 10% line failureRisk; random ids over 5 lines x 20 assets',
      subgraphs: 'test fixtures, in-memory, own process',
      secondsPerRun: SECONDS,
      loadAverageAtStart: Math.round(load0 * 100) / 100,
      ...results,
      answersUnchanged: Object.fromEntries(Object.entries(answerChecks).map(([k, v]) => [k, v.unchanged])),
      answerDifferences: Object.fromEntries(Object.entries(answerChecks).filter(([, v]) => !v.unchanged).map(([k, v]) => [k, v.differences])),
      ratioVsApollo: {
        cacheAndMerging: ratios('hiveCacheAndMerging'),
        mergingOnly: ratios('hiveMergingOnly'),
        engineOnly: ratios('hiveEngineOnly'),
      },
    }),
  );
}

if (process.argv[2] === '--apollo-gateway') {
  serveApolloGateway(Number(process.argv[3]), process.argv[4]).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
