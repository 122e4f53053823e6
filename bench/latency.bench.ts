/**
 * `npm run bench:latency`: produce → subscription message at a client through the gateway, p50/p99
 * at 200 events/s.
 *
 * Until the real pipeline is wired (Kinesis → stream-writer → kpi-subgraph), this measures
 * subgraph-emit → gateway → client: a test subgraph (own process, in-memory) emits `kpiUpdated`
 * events at 200/s round-robin over 20 assets; one graphql-ws client subscribes to all of them
 * through the gateway, with `failureRisk` from the second subgraph, so each event costs the gateway
 * one `_entities` fetch. The event carries the subgraph's wall-clock emit time; latency is the
 * client's receive time minus that (same machine, same clock). Last line: one JSON object.
 */
import { loadavg } from 'node:os';
import { startGateway } from '../apps/gateway/test/gateway-harness';
import { spawnFixtureProcess } from '../test/federation-fixtures/fixture-process';
import { openRawSubscriber, percentile } from '../test/federation-fixtures/raw-ws-subscriber';
import { bearer } from '../test/support/auth-tokens';

const RATE = 200;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ASSETS = Array.from({ length: 20 }, (_, i) => `asset-2-${i + 1}`);
const QUERY = 'subscription { kpiUpdated { sequence emittedAtMs asset { id kpi { oee goodCount } failureRisk } } }';

async function main(): Promise<void> {
  const load0 = loadavg()[0];
  const fixtures = await spawnFixtureProcess();
  const gateway = await startGateway(fixtures.supergraphSdl, { LOG_LEVEL: 'warn' });
  let latencies: number[] = [];
  let errors = 0;
  let measureFrom = Infinity;
  let lastArrival = 0;
  const now = () => performance.timeOrigin + performance.now();
  const client = await openRawSubscriber(gateway.wsUrl, QUERY, (payload) => {
    if (payload.errors?.length) errors++;
    lastArrival = now();
    const emitted = payload.data?.kpiUpdated?.emittedAtMs as number | undefined;
    // Only events emitted inside the measured window count: warm-up stragglers do not.
    if (emitted && emitted >= measureFrom) latencies.push(lastArrival - emitted);
  }, undefined, { authorization: (await bearer('operator', undefined, { subject: 'bench' })).authorization });

  // Warm-up (upstream subscription, JIT, sockets), then wait until the stream is quiet.
  await fixtures.emitAtRate(RATE / 4, 3_000, ASSETS);
  while (now() - lastArrival < 500) await new Promise((r) => setTimeout(r, 100));
  latencies = [];
  errors = 0;
  measureFrom = now();
  const { emitted, tookMs } = await fixtures.emitAtRate(RATE, SECONDS * 1000, ASSETS);
  await new Promise((r) => setTimeout(r, 1_000));

  client.close();
  await gateway.stop();
  await fixtures.stop();
  const sorted = latencies.sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 100) / 100;
  console.log(
    JSON.stringify({
      bench: 'latency',
      path: 'subgraph→gateway→client',
      note: 'test subgraph emit → Hive gateway (Rust planner, _entities per event) → graphql-ws client; Kinesis and stream-writer not included yet',
      targetEventsPerSecond: RATE,
      achievedEventsPerSecond: Math.round((emitted / tookMs) * 1000),
      events: emitted,
      delivered: sorted.length,
      errors,
      p50Ms: r(percentile(sorted, 50)),
      p90Ms: r(percentile(sorted, 90)),
      p99Ms: r(percentile(sorted, 99)),
      maxMs: r(sorted.at(-1) ?? NaN),
      loadAverageAtStart: Math.round(load0 * 100) / 100,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
