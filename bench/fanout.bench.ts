/**
 * `npm run bench:fanout`: N concurrent graphql-ws subscribers on one gateway, events emitted by a
 * test subgraph (own process, in-memory), delivery latency emit → client.
 *
 * Subscribers are spread over the 20 assets of one line (`kpiUpdated(assetId)` with the asset's
 * `failureRisk` from the second subgraph, so every event is a federated execution). The subgraph
 * emits 20 events/s round-robin over those assets, so each subscriber gets about one event a second
 * and the gateway delivers ≈ N messages/s. Steps up N (default 1,000 → 5,000 → 10,000; env
 * BENCH_FANOUT_STEPS) on one gateway with shared subscriptions on, then repeats the first step with
 * sharing off to show what each subscriber costs upstream without it. Clients live in this process
 * (raw graphql-transport-ws), so latency includes their own queueing. Last line: one JSON object.
 */
import { execSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { metricValue, RunningGateway, startGateway } from '../apps/gateway/test/gateway-harness';
import { FixtureProcess, spawnFixtureProcess } from '../test/federation-fixtures/fixture-process';
import { openRawSubscriber, percentile, RawSubscriber } from '../test/federation-fixtures/raw-ws-subscriber';
import { bearer } from '../test/support/auth-tokens';

const STEPS = (process.env.BENCH_FANOUT_STEPS ?? '1000,5000,10000').split(',').map(Number);
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const EVENTS_PER_SECOND = 20;
const ASSETS = Array.from({ length: 20 }, (_, i) => `asset-1-${i + 1}`);
const CONNECT_BATCH = 250;

const queryFor = (assetId: string) =>
  `subscription { kpiUpdated(assetId: "${assetId}") { sequence emittedAtMs asset { id kpi { oee goodCount } failureRisk } } }`;

interface StepFigures {
  subscribers: number;
  sharedSubscriptions: boolean;
  connectSeconds: number;
  eventsEmitted: number;
  expectedDeliveries: number;
  delivered: number;
  deliveredRatio: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  upstreamSubscriptions: number;
  gatewayRssMb: number;
  errors: number;
}

class Crowd {
  readonly clients: RawSubscriber[] = [];
  readonly perAsset = new Map<string, number>();
  latencies: number[] = [];
  /** Wall-clock ms from which emitted events count (warm-up stragglers do not). */
  measureFrom = Infinity;
  lastArrival = 0;
  errors = 0;

  constructor(
    private readonly url: string,
    /** Every subscriber presents an analyst's token at connection_init; one token, verified once and cached. */
    private readonly connectionParams: Record<string, unknown>,
  ) {}

  async grow(to: number): Promise<void> {
    while (this.clients.length < to) {
      const batch = Math.min(CONNECT_BATCH, to - this.clients.length);
      const opened = await Promise.all(
        Array.from({ length: batch }, (_, i) => {
          const assetId = ASSETS[(this.clients.length + i) % ASSETS.length];
          this.perAsset.set(assetId, (this.perAsset.get(assetId) ?? 0) + 1);
          return openRawSubscriber(this.url, queryFor(assetId), (payload) => this.onData(payload), undefined, this.connectionParams);
        }),
      );
      this.clients.push(...opened);
    }
  }

  closeAll(): void {
    this.clients.splice(0).forEach((c) => c.close());
  }

  private onData(payload: { data?: any; errors?: unknown[] }): void {
    if (payload.errors?.length) this.errors++;
    this.lastArrival = performance.timeOrigin + performance.now();
    const emitted = payload.data?.kpiUpdated?.emittedAtMs as number | undefined;
    if (emitted && emitted >= this.measureFrom) this.latencies.push(this.lastArrival - emitted);
  }
}

async function measureStep(
  crowd: Crowd,
  fixtures: FixtureProcess,
  gateway: RunningGateway,
  subscribers: number,
  shared: boolean,
): Promise<StepFigures> {
  const started = performance.now();
  await crowd.grow(subscribers);
  const connectSeconds = Math.round((performance.now() - started) / 100) / 10;
  // Warm-up: upstream subscriptions start lazily with the first subscriber of each key.
  await fixtures.emitAtRate(EVENTS_PER_SECOND, 3_000, ASSETS);
  const quiet = () => performance.timeOrigin + performance.now() - crowd.lastArrival >= 500;
  while (!quiet()) await new Promise((r) => setTimeout(r, 100));

  crowd.latencies = [];
  crowd.errors = 0;
  crowd.measureFrom = performance.timeOrigin + performance.now();
  const { emitted } = await fixtures.emitAtRate(EVENTS_PER_SECOND, MEASURE_MS, ASSETS);
  await new Promise((r) => setTimeout(r, 2_000)); // late deliveries still count
  crowd.measureFrom = Infinity;

  // Events go round-robin, so each asset got emitted/20 of them (± 1).
  const expected = [...crowd.perAsset.values()].reduce((sum, n) => sum + n * (emitted / ASSETS.length), 0);
  const sorted = crowd.latencies.slice().sort((a, b) => a - b);
  const stats = await fixtures.stats();
  const rss = (await metricValue(gateway.baseUrl, /^process_resident_memory_bytes/)) ?? 0;
  const figures: StepFigures = {
    subscribers,
    sharedSubscriptions: shared,
    connectSeconds,
    eventsEmitted: emitted,
    expectedDeliveries: Math.round(expected),
    delivered: sorted.length,
    deliveredRatio: Math.round((sorted.length / Math.max(1, expected)) * 1000) / 1000,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? NaN),
    upstreamSubscriptions: stats.activeUpstreamSubscriptions,
    gatewayRssMb: Math.round(rss / 1e6),
    errors: crowd.errors,
  };
  console.log(JSON.stringify(figures));
  return figures;
}

const round = (n: number) => Math.round(n * 10) / 10;

async function run(shared: boolean, steps: number[], fixtures: FixtureProcess): Promise<StepFigures[]> {
  const gateway = await startGateway(fixtures.supergraphSdl, {
    LOG_LEVEL: 'warn',
    GATEWAY_SHARE_SUBSCRIPTIONS: String(shared),
    // Up to 10,000 subscribers from one IP without a token: the per-caller cap (default 100) is off.
    GATEWAY_MAX_SUBSCRIPTIONS_PER_TOKEN: '0',
  });
  const crowd = new Crowd(gateway.wsUrl, { authorization: (await bearer('analyst', undefined, { subject: 'bench' })).authorization });
  const results: StepFigures[] = [];
  try {
    for (const n of steps) results.push(await measureStep(crowd, fixtures, gateway, n, shared));
  } finally {
    crowd.closeAll();
    await gateway.stop();
  }
  return results;
}

async function main(): Promise<void> {
  const openFiles = Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim());
  if (openFiles < Math.max(...STEPS) + 1_000) {
    // Node cannot raise its own limit; the npm script's shell can (`ulimit -n` before node).
    throw new Error(`ulimit -n is ${openFiles}: raise it above ${Math.max(...STEPS) + 1_000} for this bench`);
  }
  const fixtures = await spawnFixtureProcess();
  const load0 = loadavg()[0];
  const shared = await run(true, STEPS, fixtures);
  const unshared = await run(false, [STEPS[0]], fixtures);
  await fixtures.stop();
  const largest = shared.at(-1)!;
  console.log(
    JSON.stringify({
      bench: 'fanout',
      path: 'subgraph→gateway→client (graphql-ws both ways)',
      eventsPerSecond: EVENTS_PER_SECOND,
      assets: ASSETS.length,
      measureSeconds: MEASURE_MS / 1000,
      loadAverageAtStart: Math.round(load0 * 100) / 100,
      maxSubscribers: largest.subscribers,
      p99MsAtMax: largest.p99Ms,
      targetP99Ms: 500,
      steps: shared,
      withoutSharing: unshared,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
