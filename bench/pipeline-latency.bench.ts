/**
 * `npm run bench:latency`: produce → subscription message at a client through the gateway, the
 * whole platform on the local stack: the simulator writes PlantEvents to Kinesis at 200 events/s
 * (its event time is the wall clock when produced) → stream-writer → KPI table + change feed →
 * kpi-subgraph → Hive gateway (graphql-ws both ways) → a graphql-ws client subscribed to
 * `kpiUpdated` of every asset. Latency of a message = client receive time − the `lastEventTime` it
 * carries (the newest event folded into that KPI): same machine, same clock. The platform runs as
 * `npm start` runs it (real processes) but without its own simulator, on free ports.
 * Last line: one JSON object with the figures, beside the seed promise (hot path < 5 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ResourceNames } from '@plant/config';
import { KinesisPublisher, PlantTopology, runSimulator } from '@plant/simulator';
import { startPlatform, stopPlatform } from '../tools/start/platform-harness';
import { bearer } from '../test/support/auth-tokens';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const WARM_UP_S = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SEED_HOT_PATH_MS = 5_000;
const TARGET_P99_MS = 250;

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

async function main(): Promise<void> {
  const load0 = loadavg()[0];
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-latency-'));
  const { supervisor, ports } = await startPlatform(dataDir, { START_SIMULATOR: 'false' });
  const endpoint = `http://127.0.0.1:${ports.LOCAL_AWS_PORT}`;
  const assets = new PlantTopology().assets.map((a) => a.hierarchy.assetId);

  let measuring = false;
  const latencies: number[] = [];
  let messages = 0;
  let errors = 0;
  // An operator's token, minted like `npm run token` with the platform's default local secret.
  const { authorization } = await bearer('operator', undefined, { subject: 'bench' });
  const client = createClient({ url: `ws://127.0.0.1:${ports.GATEWAY_PORT}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization } });
  const unsubscribe = assets.map((assetId) =>
    client.subscribe(
      { query: 'subscription ($id: ID!) { kpiUpdated(assetId: $id, window: ONE_MINUTE) { scopeId lastEventTime } }', variables: { id: assetId } },
      {
        next: (msg) => {
          const received = Date.now();
          if (msg.errors?.length) errors++;
          const kpi = (msg.data as { kpiUpdated?: { lastEventTime: string } } | null)?.kpiUpdated;
          if (!kpi || !measuring) return;
          messages++;
          latencies.push(received - Date.parse(kpi.lastEventTime));
        },
        error: () => errors++,
        complete: () => undefined,
      },
    ),
  );

  const sink = new KinesisPublisher({ region: 'eu-central-1', endpoint }, { streamName: ResourceNames.plantEventsStream });
  const simulator = runSimulator({ sink, rate: RATE, seed: 7, log: () => undefined });
  await new Promise((r) => setTimeout(r, WARM_UP_S * 1000));
  measuring = true;
  const sentBefore = simulator.totals().sent;
  const started = Date.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const sent = simulator.totals().sent - sentBefore;
  const tookS = (Date.now() - started) / 1000;
  await simulator.stop();
  unsubscribe.forEach((u) => u());
  await client.dispose();
  await stopPlatform(supervisor);
  rmSync(dataDir, { recursive: true, force: true });

  const sorted = latencies.sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  console.log(`produce → client through the gateway: ${messages} kpiUpdated messages over ${assets.length} assets, p50 ${p50} ms, p99 ${p99} ms`);
  console.log(
    JSON.stringify({
      bench: 'latency',
      path: 'simulator→Kinesis→stream-writer→KPI table+change feed→kpi-subgraph→gateway→graphql-ws client',
      eventsPerSecondTarget: RATE,
      eventsPerSecondAchieved: Math.round(sent / tookS),
      assets: assets.length,
      seconds: SECONDS,
      messages,
      errors,
      p50Ms: p50,
      p90Ms: percentile(sorted, 90),
      p99Ms: p99,
      maxMs: sorted[sorted.length - 1] ?? NaN,
      targetP99Ms: TARGET_P99_MS,
      seedHotPathMs: SEED_HOT_PATH_MS,
      p99VsSeed: Math.round((p99 / SEED_HOT_PATH_MS) * 1000) / 1000,
      loadAverageAtStart: Math.round(load0 * 100) / 100,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
