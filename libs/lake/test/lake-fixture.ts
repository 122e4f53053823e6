import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { decodePlantEvent, PlantEvent } from '@plant/contracts';
import { addCounters, emptyCounters, KpiCounters, KpiScope, KpiWindow, padSequence, planBatch } from '@plant/domain';
import { listRawFiles } from '@plant/lake';
import { backfillRawZone } from '@plant/simulator';

/** A small lake written by the real simulator (backfill): 1 plant × 2 lines × 2 assets, 2 days. */
export const FIXTURE = { days: 2, end: '2026-11-20', plants: 1, lines: 2, assets: 2, eventsPerSecond: 0.3, seed: 'lake-fixture' } as const;

export async function simulatedLake(): Promise<string> {
  const lakeDir = join(await mkdtemp(join(tmpdir(), 'lake-etl-')), 'lake');
  await backfillRawZone({
    lakeDir,
    days: FIXTURE.days,
    end: new Date(`${FIXTURE.end}T00:00:00Z`),
    eventsPerSecond: FIXTURE.eventsPerSecond,
    seed: FIXTURE.seed,
    plants: FIXTURE.plants,
    lines: FIXTURE.lines,
    assets: FIXTURE.assets,
  });
  return lakeDir;
}

/** Every valid event in the raw zone, once per eventId (the first copy), in the order the ETL folds them. */
export async function rawEvents(lakeDir: string): Promise<PlantEvent[]> {
  const byId = new Map<string, PlantEvent>();
  for (const file of await listRawFiles(lakeDir)) {
    const bytes = readFileSync(file.path);
    for (const line of (file.path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const decoded = decodePlantEvent(Buffer.from(line));
      if (decoded.ok && !byId.has(decoded.event.eventId)) byId.set(decoded.event.eventId, decoded.event);
    }
  }
  const ms = (t: string) => Date.parse(t);
  return [...byId.values()].sort(
    (a, b) => ms(a.eventTime) - ms(b.eventTime) || ms(a.ingestTime) - ms(b.ingestTime) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
  );
}

/** The live KPI path of libs/domain over the same events: counters per scope, id and window start. */
export function liveCounters(events: readonly PlantEvent[], window: KpiWindow): Map<string, { scope: KpiScope; scopeId: string; startMs: number; counters: KpiCounters }> {
  const plan = planBatch({
    shardId: 'shard-0',
    events: events.map((event, i) => ({ sequence: padSequence(String(i + 1)), event })),
    states: new Map(),
    rules: [],
  });
  const out = new Map<string, { scope: KpiScope; scopeId: string; startMs: number; counters: KpiCounters }>();
  for (const delta of plan.kpiDeltas.filter((d) => d.window === window)) {
    const key = `${delta.scope}/${delta.scopeId}/${delta.windowStartMs}`;
    const entry = out.get(key) ?? { scope: delta.scope, scopeId: delta.scopeId, startMs: delta.windowStartMs, counters: emptyCounters() };
    addCounters(entry.counters, delta.counters);
    out.set(key, entry);
  }
  return out;
}

/** Rows of a lake table (all partitions), as JS values; `dt` as yyyy-MM-dd. */
export async function readTable(lakeDir: string, prefix: string, orderBy: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run("SET TimeZone = 'UTC'");
    const reader = await db.runAndReadAll(
      `SELECT * REPLACE (CAST(dt AS VARCHAR) AS dt) FROM read_parquet('${join(lakeDir, prefix)}dt=*/*.parquet', hive_partitioning = true) ORDER BY ${orderBy}`,
    );
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
