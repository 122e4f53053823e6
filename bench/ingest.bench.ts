/**
 * `npm run bench:ingest`: the stream-writer (real process: consumer + router + every sink adapter)
 * against the local AWS stack, which runs in this process on a free port.
 *
 *   1. Throughput: a backlog of BENCH_EVENTS events (default 60,000; 200 assets) is loaded into
 *      `plant-events` first (the producer's time is kept apart), then the stream-writer starts and
 *      drains it through every sink. Events/s = events ÷ (last ack − first ack), taken from the
 *      process's own `stream_writer_sink_records_total{sink="raw-events"}` counter.
 *   2. Latency at 200 events/s (the seed rate) for BENCH_LATENCY_SECONDS (default 30): events carry
 *      eventTime = now; an event counts as readable when a `kpi-updated` change-feed message for its
 *      asset's 1-minute KPI carries a lastEventTime at or after it. The change feed is published
 *      only after the KPI write was acknowledged, so this is an upper bound of event time → KPI
 *      readable in DynamoDB.
 * Last line: one JSON object with the figures.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { KinesisChangeFeedReader } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import type { PlantEvent } from '@plant/contracts';
import { startLocalAws } from '@plant/local-aws';

const BACKLOG_EVENTS = Number(process.env.BENCH_EVENTS ?? 60_000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 30);
const LATENCY_RATE = 200;
const ASSETS = 200;
const SEED = { recordsPerSecond: 200, hotPathMs: 5_000 };
const TARGETS = { eventsPerSecond: 20_000, latencyP99Ms: 1_000 };
const root = resolve(__dirname, '..');

const assets = Array.from({ length: ASSETS }, (_, i) => ({
  enterpriseId: 'ent-1',
  plantId: `plant-${i % 2}`,
  lineId: `plant-${i % 2}-line-${Math.floor(i / 20)}`,
  assetId: `asset-${String(i).padStart(3, '0')}`,
}));

let eventCounter = 0;
/** A realistic mix: sensor readings, production counts, machine states, downtimes, quality, alarms. */
function eventOf(asset: (typeof assets)[number], timeMs: number): PlantEvent {
  const n = eventCounter++;
  const time = new Date(timeMs).toISOString();
  const base = { ...asset, schemaVersion: 1 as const, eventId: `bench-${n}`, eventTime: time, ingestTime: time };
  switch (n % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return { ...base, source: 'das', kind: 'measurement', measure: ['temperature', 'vibration', 'current'][n % 3], value: 50 + (n % 50), unit: 'u', quality: 'good' };
    case 4:
    case 5:
    case 6:
      return { ...base, source: 'ampla-iqt', kind: 'production', goodCount: 1 + (n % 5), scrapCount: n % 7 === 0 ? 1 : 0, idealCycleSeconds: 0.8 };
    case 7:
      return { ...base, source: 'citect-scada', kind: 'machine-state', state: n % 4 === 0 ? 'down' : 'running', reasonCode: 'jam' };
    case 8:
      return { ...base, source: 'ampla-iqt', kind: 'downtime', downtimeId: `${asset.assetId}-${Math.floor(n / 100)}`, phase: n % 20 < 10 ? 'start' : 'end', reasonCode: 'material' };
    default:
      return { ...base, source: 'ampla-iqt', kind: 'quality', defectCode: 'burr', defectCount: 1 };
  }
}

async function putRecords(kinesis: KinesisClient, events: PlantEvent[]): Promise<void> {
  const chunks: PlantEvent[][] = [];
  for (let i = 0; i < events.length; i += 500) chunks.push(events.slice(i, i + 500));
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < chunks.length) {
        let pending = chunks[next++].map((e) => ({ PartitionKey: e.assetId, Data: Buffer.from(JSON.stringify(e)) }));
        while (pending.length) {
          const out = await kinesis.send(new PutRecordsCommand({ StreamName: ResourceNames.plantEventsStream, Records: pending }));
          pending = pending.filter((_, j) => out.Records?.[j]?.ErrorCode);
        }
      }
    }),
  );
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function counter(port: number, sink: string): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('stream_writer_sink_records_total{') && l.includes(`sink="${sink}"`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  } catch {
    return 0;
  }
}

/** Sum (or count, i.e. batches) of write latencies per sink from the `stream_writer_sink_write_seconds` histogram. */
async function sinkWriteSeconds(port: number, of: 'sum' | 'count' = 'sum'): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sums: Record<string, number> = {};
  const pattern = new RegExp(`^stream_writer_sink_write_seconds_${of}\\{.*sink="([^"]+)".*\\} (\\S+)$`);
  for (const line of text.split('\n')) {
    const match = pattern.exec(line);
    if (match) sums[match[1]] = Number(Number(match[2]).toFixed(2));
  }
  return sums;
}

/** Mean write latency per batch of each sink between two readings of the histogram, in ms. */
function meanWriteMs(sumBefore: Record<string, number>, countBefore: Record<string, number>, sumAfter: Record<string, number>, countAfter: Record<string, number>) {
  const means: Record<string, number> = {};
  for (const sink of Object.keys(sumAfter)) {
    const batches = (countAfter[sink] ?? 0) - (countBefore[sink] ?? 0);
    if (batches > 0) means[sink] = Math.round((((sumAfter[sink] ?? 0) - (sumBefore[sink] ?? 0)) * 1000) / batches);
  }
  return means;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  const stack = await startLocalAws({ port: 0, dataDir });
  const kinesis = createClient(KinesisClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  let writer: ChildProcess | undefined;
  try {
    // 1. Backlog.
    const startMs = Date.now() - 30 * 60_000;
    const perAsset = Math.ceil(BACKLOG_EVENTS / ASSETS);
    const backlog: PlantEvent[] = [];
    for (let step = 0; step < perAsset && backlog.length < BACKLOG_EVENTS; step++) {
      for (const asset of assets) if (backlog.length < BACKLOG_EVENTS) backlog.push(eventOf(asset, startMs + step * Math.floor((25 * 60_000) / perAsset)));
    }
    const loadStarted = performance.now();
    await putRecords(kinesis, backlog);
    console.log(`backlog: ${backlog.length} events loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

    const port = await freePort();
    const output: string[] = [];
    // BENCH_WRITER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the writer process.
    const nodeArgs = (process.env.BENCH_WRITER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    writer = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', 'apps/stream-writer/src/main.ts'], {
      cwd: root,
      env: { ...process.env, AWS_ENDPOINT_URL: stack.endpoint, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    writer.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
    writer.stderr!.on('data', (c: Buffer) => output.push(c.toString()));

    let firstAckAt: number | undefined;
    let lastAckAt = 0;
    let acked = 0;
    const drainDeadline = Date.now() + 15 * 60_000;
    while (acked < backlog.length) {
      if (Date.now() > drainDeadline) throw new Error(`drain incomplete: ${acked}/${backlog.length}\n${output.join('').slice(-3000)}`);
      await sleep(50);
      const now = performance.now();
      const value = await counter(port, 'raw-events');
      if (value > 0 && firstAckAt === undefined) firstAckAt = now;
      if (value > acked) {
        acked = value;
        lastAckAt = now;
        if (acked % 10_000 < 500) console.log(`  drained ${acked}`);
      }
    }
    const drainSeconds = (lastAckAt - firstAckAt!) / 1000;
    const eventsPerSecond = Math.round(backlog.length / drainSeconds);
    const kpiItems = await counter(port, 'kpi-store');
    const sinkSeconds = await sinkWriteSeconds(port);
    console.log(`time in each sink during the drain (sum of batch write latencies, s): ${JSON.stringify(sinkSeconds)}`);
    console.log(`throughput: ${backlog.length} events through every sink in ${drainSeconds.toFixed(1)} s = ${eventsPerSecond} events/s (${kpiItems} KPI item updates)`);

    // 2. Latency at the seed rate.
    const pending = new Map<string, number[]>();
    const latencies: number[] = [];
    const reader = new KinesisChangeFeedReader(kinesis, { streamName: ResourceNames.changeFeedStream, idlePollMs: 20 });
    const stopReader = await reader.start((message) => {
      if (message.type !== 'kpi-updated' || message.kpi.scope !== 'asset' || message.kpi.window !== '1m') return;
      const receivedAt = Date.now();
      const upTo = Date.parse(message.kpi.lastEventTime);
      const times = pending.get(message.kpi.scopeId);
      if (!times) return;
      while (times.length && times[0] <= upTo) latencies.push(receivedAt - times.shift()!);
    });
    const [sumBefore, countBefore] = [await sinkWriteSeconds(port), await sinkWriteSeconds(port, 'count')];
    const total = LATENCY_RATE * LATENCY_SECONDS;
    const started = Date.now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * LATENCY_RATE));
      if (due > sent) {
        const batch: PlantEvent[] = [];
        for (; sent < due; sent++) {
          const asset = assets[sent % ASSETS];
          const event = eventOf(asset, Date.now());
          // Only events that move the asset's 1-minute KPI item produce a kpi-updated message.
          if (event.kind !== 'measurement' && event.kind !== 'downtime') {
            const list = pending.get(asset.assetId) ?? [];
            list.push(Date.parse(event.eventTime));
            pending.set(asset.assetId, list);
          }
          batch.push(event);
        }
        await putRecords(kinesis, batch);
      }
      await sleep(10);
    }
    const expected = [...pending.values()].reduce((n, l) => n + l.length, 0) + latencies.length;
    const waitUntil = Date.now() + 30_000;
    while (latencies.length < expected && Date.now() < waitUntil) await sleep(50);
    await stopReader();
    const liveWriteMs = meanWriteMs(sumBefore, countBefore, await sinkWriteSeconds(port), await sinkWriteSeconds(port, 'count'));
    const liveBatches = (await sinkWriteSeconds(port, 'count'))['raw-events'] - (countBefore['raw-events'] ?? 0);
    console.log(`live: ${liveBatches} shard batches; mean write time per batch and sink (ms): ${JSON.stringify(liveWriteMs)}`);
    const sorted = [...latencies].sort((a, b) => a - b);
    const latency = { events: sorted.length, unmatched: expected - sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] };
    console.log(`latency at ${LATENCY_RATE} events/s for ${LATENCY_SECONDS} s: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms, max ${latency.maxMs} ms over ${latency.events} events`);
    console.log(`seed: ${SEED.recordsPerSecond} records/s, hot path < ${SEED.hotPathMs} ms; targets: ≥ ${TARGETS.eventsPerSecond} events/s, p99 < ${TARGETS.latencyP99Ms} ms`);

    console.log(
      JSON.stringify({
        bench: 'ingest',
        cpus: cpus().length,
        backlogEvents: backlog.length,
        drainSeconds: Number(drainSeconds.toFixed(2)),
        eventsPerSecond,
        kpiItemUpdates: kpiItems,
        sinkSeconds,
        latencyRate: LATENCY_RATE,
        latencyP50Ms: latency.p50Ms,
        latencyP99Ms: latency.p99Ms,
        latencyMaxMs: latency.maxMs,
        latencyEvents: latency.events,
        latencyUnmatched: latency.unmatched,
        liveBatches,
        liveWriteMs,
        vsSeed: { throughput: Number((eventsPerSecond / SEED.recordsPerSecond).toFixed(1)), hotPathMs: SEED.hotPathMs },
        targets: { eventsPerSecond: TARGETS.eventsPerSecond, met: eventsPerSecond >= TARGETS.eventsPerSecond, latencyP99Ms: TARGETS.latencyP99Ms, latencyMet: latency.p99Ms < TARGETS.latencyP99Ms },
      }),
    );
  } finally {
    if (writer && writer.exitCode === null) {
      const exited = new Promise((r) => writer!.once('exit', r));
      writer.kill('SIGTERM');
      await Promise.race([exited, sleep(35_000)]);
      if (writer.exitCode === null) writer.kill('SIGKILL');
    }
    kinesis.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
