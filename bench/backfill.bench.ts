/**
 * `npm run bench:backfill`: how fast the backfill writes plant history into the raw zone, and how
 * long the local ETL takes over it. Same run, same machine: the simulator alone (generation and
 * normalisation into a sink that discards) as the baseline, then the backfill (the same plus JSON
 * and files), then `runEtl` over the result. Days: BENCH_BACKFILL_DAYS (default 3); the 90-day time
 * is extrapolated linearly (both are linear in days). Last line: one JSON object with the figures.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEtl } from '@plant/lake';
import { backfillRawZone, PlantSimulator } from '@plant/simulator';

const DAYS = Number(process.env.BENCH_BACKFILL_DAYS ?? 3);
const RATE = 2;
const END = new Date('2026-11-20T00:00:00Z');

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-backfill-'));
  const lakeDir = join(dir, 'lake');
  try {
    const simStart = Date.now();
    const simulator = new PlantSimulator({ seed: 1, startTime: new Date(END.getTime() - DAYS * 86_400_000) });
    let simulated = 0;
    for (let at = END.getTime() - DAYS * 86_400_000 + 60_000; at <= END.getTime(); at += 60_000) simulated += simulator.nextBatch(RATE * 60, new Date(at)).length;
    const simulatorAloneEventsPerS = Math.round(simulated / ((Date.now() - simStart) / 1000));
    console.log(`simulator alone: ${simulated} events, ${simulatorAloneEventsPerS}/s`);

    const totals = await backfillRawZone({ lakeDir, days: DAYS, end: END, eventsPerSecond: RATE, seed: 1 });
    console.log(`backfill: ${totals.events} events in ${totals.elapsedSeconds} s, ${totals.eventsPerSecond}/s, ${totals.objects} objects, ${(totals.bytes / 1e6).toFixed(0)} MB`);

    const etl = await runEtl({ lakeDir });
    const etlSeconds = etl.durationMs / 1000;
    console.log(`etl: ${etlSeconds} s (${etl.steps.map((s) => `${s.step} ${s.durationMs / 1000} s`).join(', ')})`);
    const again = await runEtl({ lakeDir });
    console.log(JSON.stringify({
      days: DAYS,
      eventsPerSimulatedSecond: RATE,
      events: totals.events,
      backfillSeconds: totals.elapsedSeconds,
      backfillEventsPerS: totals.eventsPerSecond,
      simulatorAloneEventsPerS,
      backfill90dSecondsExtrapolated: Math.round((totals.elapsedSeconds * 90) / DAYS),
      rawMB: Math.round(totals.bytes / 1e6),
      etlSeconds,
      etlEventsPerS: Math.round(totals.events / etlSeconds),
      etl90dSecondsExtrapolated: Math.round((etlSeconds * 90) / DAYS),
      etlNoChangeMs: again.durationMs,
      loadAverage: loadavg()[0],
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
