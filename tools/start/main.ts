import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError, DefaultPorts, PlantEventsStream } from '@plant/config';
import { PlatformSupervisor } from './platform-supervisor';
import { ServiceSpec } from './processes';
import { RestartPolicy } from './restart-policy';
import { restartPolicyFromEnv } from './start-config';
import { mintLocalToken } from '../token/token-command';
import { lakeSeedDaysFromEnv, seedLake } from './lake-seed';
import { PlantTopology } from '../simulator/src/topology';
import { trainFirstModelIfMissing } from './first-model';

/**
 * `npm start`: the whole platform on one machine. The local AWS stack first, then every app and the
 * plant simulator; waits for every /health, prints the URLs, and on Ctrl-C stops everything
 * (apps first, the stack last, so apps can checkpoint and release leases).
 *
 * Once the platform is up, a process that dies is restarted with backoff and the rest keeps running
 * (platform-supervisor.ts, supervised-service.ts, restart-policy.ts; docs/local-run.md).
 */
const READY_TIMEOUT_MS = 90_000;
const root = resolve(__dirname, '../..');
const dataDir = resolve(root, process.env.DATA_DIR ?? '.data');
const logDir = resolve(dataDir, 'logs');
const env = process.env;
const port = (name: string, fallback: number) => String(env[name] ?? fallback);

const localAwsPort = port('LOCAL_AWS_PORT', DefaultPorts.localAws);
const endpoint = `http://127.0.0.1:${localAwsPort}`;
const aws = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: env.AWS_REGION ?? 'eu-central-1' };
const ports = {
  gateway: port('GATEWAY_PORT', DefaultPorts.gateway),
  kpi: port('KPI_SUBGRAPH_PORT', DefaultPorts.kpiSubgraph),
  history: port('HISTORY_SUBGRAPH_PORT', DefaultPorts.historySubgraph),
  ml: port('ML_SUBGRAPH_PORT', DefaultPorts.mlSubgraph),
  streamWriter: port('STREAM_WRITER_PORT', DefaultPorts.streamWriter),
};
const health = (p: string) => `http://127.0.0.1:${p}/health`;
// Gateway → subgraph trust: a fresh internal secret per run, known only to these processes.
const internalAuth = { INTERNAL_AUTH_SECRET: env.INTERNAL_AUTH_SECRET ?? randomBytes(32).toString('hex') };
/** The dashboard's operator token lives as long as a working day of `npm start`. */
const DASHBOARD_TOKEN_TTL_S = 12 * 3_600;

const stack: ServiceSpec = {
  name: 'local-aws',
  entry: 'tools/local-aws/main.ts',
  env: { LOCAL_AWS_PORT: localAwsPort, LOCAL_AWS_DATA_DIR: resolve(dataDir, 'local-aws') },
  readyUrl: `${endpoint}/health`,
};
const apps: ServiceSpec[] = [
  { name: 'stream-writer', entry: 'apps/stream-writer/src/main.ts', env: { ...aws, PORT: ports.streamWriter }, readyUrl: health(ports.streamWriter) },
  { name: 'kpi-subgraph', entry: 'apps/kpi-subgraph/src/main.ts', env: { ...aws, ...internalAuth, PORT: ports.kpi }, readyUrl: health(ports.kpi) },
  { name: 'history-subgraph', entry: 'apps/history-subgraph/src/main.ts', env: { ...aws, ...internalAuth, PORT: ports.history, PLANT_UTC_OFFSETS: plantUtcOffsets() }, readyUrl: health(ports.history) },
  { name: 'ml-subgraph', entry: 'apps/ml-subgraph/src/main.ts', env: { ...aws, ...internalAuth, PORT: ports.ml, LAKE_DIR: resolve(dataDir, 'local-aws', 'lake') }, readyUrl: health(ports.ml) },
];
const gateway: ServiceSpec = {
  name: 'gateway',
  entry: 'apps/gateway/src/main.ts',
  env: {
    ...aws,
    ...internalAuth,
    PORT: ports.gateway,
    KPI_SUBGRAPH_URL: `http://127.0.0.1:${ports.kpi}/graphql`,
    HISTORY_SUBGRAPH_URL: `http://127.0.0.1:${ports.history}/graphql`,
    ML_SUBGRAPH_URL: `http://127.0.0.1:${ports.ml}/graphql`,
  },
  readyUrl: health(ports.gateway),
};
const simulator: ServiceSpec = {
  name: 'simulator',
  entry: 'tools/simulator/main.ts',
  args: ['--rate', env.SIMULATOR_RATE ?? '200'],
  env: aws,
};

let policy: RestartPolicy;
let lakeSeedDays: number;
try {
  policy = restartPolicyFromEnv();
  lakeSeedDays = lakeSeedDaysFromEnv(env);
} catch (err) {
  console.error(`✗ ${err instanceof ConfigError ? err.message : String(err)}`);
  process.exit(1);
}
const platform = new PlatformSupervisor({ policy, logDir, readyTimeoutMs: READY_TIMEOUT_MS });

async function main(): Promise<void> {
  platform.handleSignals();
  await seedLake(resolve(dataDir, 'local-aws', 'lake'), lakeSeedDays, (line) => console.log(line));
  const started = Date.now();
  const deadline = started + READY_TIMEOUT_MS;
  console.log(`Starting the plant data platform (logs in ${logDir})…`);
  await platform.startAndWait([stack], deadline);
  await platform.startAndWait(apps, deadline);
  await platform.startAndWait([gateway], deadline);
  // Benchmarks bring their own producer (START_SIMULATOR=false) so that they control the load.
  const withSimulator = env.START_SIMULATOR !== 'false';
  if (withSimulator) await platform.startAndWait([simulator], deadline);
  platform.superviseRestarts();
  const firstModel = trainFirstModelIfMissing(resolve(dataDir, 'local-aws', 'lake'), logDir);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // The token travels in the URL fragment, which the browser never sends to a server.
  const dashboardToken = await mintLocalToken({ role: 'operator', subject: 'dashboard', ttlSeconds: DASHBOARD_TOKEN_TTL_S });
  console.log(`
Plant data platform is up (${seconds} s). Ctrl-C stops everything.

  GraphQL (queries, mutations, graphql-ws subscriptions)  http://127.0.0.1:${ports.gateway}/graphql
  Live dashboard (operator token, 12 h)                   http://127.0.0.1:${ports.gateway}/dashboard#token=${dashboardToken}
  Access token for curl / graphql-ws                      npm run token -- --role partner --plants plt1 [--ttl 1h]
  Gateway health / metrics                                ${health(ports.gateway)}  http://127.0.0.1:${ports.gateway}/metrics
  kpi-subgraph                                            http://127.0.0.1:${ports.kpi}/graphql
  history-subgraph                                        http://127.0.0.1:${ports.history}/health
  ml-subgraph                                             http://127.0.0.1:${ports.ml}/health
  stream-writer                                           ${health(ports.streamWriter)}
  Local AWS endpoint (AWS_ENDPOINT_URL)                   ${endpoint}
  Plant simulator                                         ${withSimulator ? `${simulator.args?.join(' ')} records/s → Kinesis ${PlantEventsStream.name}` : 'not started (START_SIMULATOR=false)'}
  Logs                                                    ${logDir}/<service>.log (appended; restarts noted)
  Failure-risk model                                      ${firstModel ? 'first model training in the background (train.log); served when written' : 'served from the lake; npm run train retrains'}

A process that dies is restarted with backoff (${describeBackoff()}); the rest keeps running.
`);
}

function describeBackoff(): string {
  const s = (ms: number) => `${ms / 1000} s`;
  return `${s(policy.initialDelayMs)} doubling to ${s(policy.maxDelayMs)}; given up after ${policy.maxCrashesInARow} crashes in a row without ${s(policy.stableAfterMs)} healthy`;
}

main().catch((err: unknown) => {
  console.error(`✗ start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  void platform.shutdown(1);
});

/** The simulated plants' zones for local day buckets of trends (docs/trends.md); an explicit PLANT_UTC_OFFSETS wins. */
function plantUtcOffsets(): string {
  return process.env.PLANT_UTC_OFFSETS ?? new PlantTopology({ plants: 10, lines: 1, assets: 1 }).plants.map((p) => `${p.plantId}=${p.utcOffsetMinutes}`).join(',');
}
