import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DefaultPorts } from '@plant/config';
import { mintLocalToken } from '../token/token-command';
import { RunningService, ServiceSpec, startService, stopService, waitUntilReady } from './processes';

/**
 * `npm start`: the whole platform on one machine. The local AWS stack first, then every app and the
 * plant simulator; waits for every /health, prints the URLs, and on Ctrl-C stops everything
 * (apps first, the stack last, so apps can checkpoint and release leases).
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
  { name: 'history-subgraph', entry: 'apps/history-subgraph/src/main.ts', env: { ...aws, ...internalAuth, PORT: ports.history }, readyUrl: health(ports.history) },
  { name: 'ml-subgraph', entry: 'apps/ml-subgraph/src/main.ts', env: { ...aws, PORT: ports.ml }, readyUrl: health(ports.ml) },
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

const running: RunningService[] = [];
let stopping = false;

async function startAndWait(specs: ServiceSpec[], deadline: number): Promise<void> {
  const started = specs.map((spec) => startService(spec, logDir));
  running.push(...started);
  for (const s of started) s.child.once('exit', (code, signal) => onUnexpectedExit(s, code, signal));
  await Promise.all(
    started
      .filter((s) => s.spec.readyUrl)
      .map((s) =>
        waitUntilReady(s.spec.readyUrl!, deadline, () => s.child.exitCode === null).catch((err: Error) => {
          throw new Error(`${s.spec.name}: ${err.message} (log: ${s.logFile})`);
        }),
      ),
  );
}

function onUnexpectedExit(service: RunningService, code: number | null, signal: NodeJS.Signals | null): void {
  if (stopping) return;
  console.error(`✗ ${service.spec.name} exited (code ${code}, signal ${signal}); its log: ${service.logFile}`);
  void shutdown(1);
}

async function shutdown(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('Stopping…');
  const [localAws, ...rest] = running;
  await Promise.all(rest.reverse().map((s) => stopService(s)));
  if (localAws) await stopService(localAws);
  console.log('Stopped.');
  process.exit(exitCode);
}

async function main(): Promise<void> {
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  const started = Date.now();
  const deadline = started + READY_TIMEOUT_MS;
  console.log(`Starting the plant data platform (logs in ${logDir})…`);
  await startAndWait([stack], deadline);
  await startAndWait(apps, deadline);
  await startAndWait([gateway], deadline);
  // Benchmarks bring their own producer (START_SIMULATOR=false) so that they control the load.
  const withSimulator = env.START_SIMULATOR !== 'false';
  if (withSimulator) await startAndWait([simulator], deadline);
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
  Plant simulator                                         ${withSimulator ? `${simulator.args?.join(' ')} records/s → Kinesis plant-events` : 'not started (START_SIMULATOR=false)'}
  Logs                                                    ${logDir}/<service>.log
`);
}

main().catch((err: unknown) => {
  console.error(`✗ start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
