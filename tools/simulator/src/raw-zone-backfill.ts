import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ResourceNames } from '@plant/config';
import { PlantSimulator, PlantSimulatorOptions } from './plant-simulator';

/**
 * Writes simulated plant history straight into the lake's raw zone, as the raw Firehose stream
 * would have delivered it: PlantEvent JSON, one per line, under
 * `raw/source=<source>/dt=<arrival date>/hour=<arrival hour>/` (the stream's prefix in
 * libs/config/src/resources/firehose-deliveries.ts: source from the record, dt/hour from the UTC
 * arrival time — here the simulated moment the batch was sent), objects named like Firehose's.
 * Deterministic: the same options write the same files with the same names, so a re-run replaces
 * them instead of adding copies.
 */
export interface BackfillOptions extends Pick<PlantSimulatorOptions, 'seed' | 'enterpriseId' | 'plants' | 'lines' | 'assets'> {
  /** The lake folder (`<LOCAL_AWS_DATA_DIR>/lake`). */
  lakeDir: string;
  days: number;
  /** History ends here (exclusive); default: the start of today (UTC). */
  end?: Date;
  /** Events per simulated second across the plant (discrete events plus sensor samples). Default 2. */
  eventsPerSecond?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface BackfillTotals {
  from: string;
  to: string;
  events: number;
  objects: number;
  bytes: number;
  elapsedSeconds: number;
  eventsPerSecond: number;
}

/** Simulated minutes per batch of the simulator; objects are written per simulated hour. */
const BATCH_MS = 60_000;
const FLUSH_MS = 3_600_000;
export const MAX_BACKFILL_DAYS = 400;

export async function backfillRawZone(options: BackfillOptions): Promise<BackfillTotals> {
  if (!(Number.isInteger(options.days) && options.days >= 1 && options.days <= MAX_BACKFILL_DAYS)) {
    throw new Error(`days must be a whole number from 1 to ${MAX_BACKFILL_DAYS}, got ${options.days}`);
  }
  const rate = options.eventsPerSecond ?? 2;
  if (!(rate > 0 && rate <= 1000)) throw new Error(`eventsPerSecond must be between 0 and 1000, got ${rate}`);
  const started = Date.now();
  const endMs = options.end?.getTime() ?? Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const startMs = endMs - options.days * 86_400_000;
  const simulator = new PlantSimulator({ ...options, startTime: new Date(startMs) });
  const perBatch = Math.max(1, Math.round((rate * BATCH_MS) / 1000));
  const buffers = new Map<string, string[]>();
  const totals = { events: 0, objects: 0, bytes: 0 };
  let chunk = 0;

  const flush = async (atMs: number) => {
    const stamp = new Date(atMs).toISOString().slice(0, 19).replace(/[T:]/g, '-');
    const writes = [...buffers].map(async ([prefix, lines]) => {
      const body = `${lines.join('\n')}\n`;
      const dir = join(options.lakeDir, prefix);
      await mkdir(dir, { recursive: true });
      // Firehose's `<stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<id>` name, with a deterministic id.
      await writeFile(join(dir, `${ResourceNames.rawDeliveryStream}-1-${stamp}-backfill-${String(options.seed ?? 1)}-${chunk}.jsonl`), body);
      totals.objects++;
      totals.bytes += Buffer.byteLength(body);
    });
    buffers.clear();
    chunk++;
    await Promise.all(writes);
  };

  for (let atMs = startMs + BATCH_MS; atMs <= endMs; atMs += BATCH_MS) {
    const arrival = new Date(atMs).toISOString();
    for (const event of simulator.nextBatch(perBatch, new Date(atMs))) {
      const prefix = `raw/source=${event.source}/dt=${arrival.slice(0, 10)}/hour=${arrival.slice(11, 13)}/`;
      let lines = buffers.get(prefix);
      if (!lines) buffers.set(prefix, (lines = []));
      lines.push(JSON.stringify(event));
      totals.events++;
    }
    if ((atMs - startMs) % FLUSH_MS === 0 || atMs + BATCH_MS > endMs) {
      await flush(atMs);
      if ((atMs - startMs) % 86_400_000 === 0) options.log?.({ level: 'info', msg: 'backfilled a day', until: new Date(atMs).toISOString(), events: totals.events });
    }
  }
  const elapsedSeconds = (Date.now() - started) / 1000;
  return {
    from: new Date(startMs).toISOString(),
    to: new Date(endMs).toISOString(),
    ...totals,
    elapsedSeconds,
    eventsPerSecond: Math.round(totals.events / Math.max(elapsedSeconds, 1e-3)),
  };
}
