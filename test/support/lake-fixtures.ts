import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  CURATED_PLANT_EVENTS,
  LakeTable,
  REFINED_DAILY_KPIS,
  REFINED_DOWNTIME_BY_REASON,
  REFINED_SHIFT_REPORTS,
  tablePrefix,
} from '@plant/config';
import { addCounters, emptyCounters, KpiCounters, kpiFiguresOf, windowInstanceAt } from '@plant/domain';

/**
 * Refined and curated lake fixtures built from events generated here, independently of the real
 * ETL (another issue): events → counters per asset/line/plant and production day or shift →
 * Parquet partitioned by `dt`, with the columns of lake-schema.ts. Tests compute their expected
 * values from the same events (`expected*` helpers), so a report that reads the wrong column,
 * day or scope fails.
 */

export interface FixtureAsset {
  enterpriseId: string;
  plantId: string;
  lineId: string;
  assetId: string;
}

export interface FixtureEvent extends FixtureAsset {
  eventId: string;
  kind: 'production' | 'downtime';
  eventTimeMs: number;
  goodCount: number;
  scrapCount: number;
  idealCycleSeconds: number;
  reasonCode: string | null;
  downSeconds: number;
}

const DAY = 86_400_000;
export const REASONS = ['jam', 'changeover', 'no-material', 'maintenance', 'quality-check'];

/** Deterministic pseudo-random numbers (mulberry32): the same seed gives the same lake. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hourly production events and a few downtimes per asset and production day, from `firstDay` (yyyy-MM-dd) on. */
export function generateEvents(assets: FixtureAsset[], firstDay: string, days: number, seed = 7): FixtureEvent[] {
  const next = random(seed);
  const events: FixtureEvent[] = [];
  const start = Date.parse(`${firstDay}T06:00:00Z`);
  for (const asset of assets) {
    for (let d = 0; d < days; d++) {
      for (let h = 0; h < 24; h++) {
        const eventTimeMs = start + d * DAY + h * 3_600_000 + 1_000;
        const good = 50 + Math.floor(next() * 40);
        events.push({ ...asset, eventId: `${asset.assetId}-p-${d}-${h}`, kind: 'production', eventTimeMs, goodCount: good, scrapCount: Math.floor(next() * 5), idealCycleSeconds: 30, reasonCode: null, downSeconds: 0 });
        if (next() < 0.25) {
          const reasonCode = REASONS[Math.floor(next() * REASONS.length)];
          events.push({ ...asset, eventId: `${asset.assetId}-d-${d}-${h}`, kind: 'downtime', eventTimeMs: eventTimeMs + 60_000, goodCount: 0, scrapCount: 0, idealCycleSeconds: 0, reasonCode, downSeconds: 60 + Math.floor(next() * 900) });
        }
      }
    }
  }
  return events;
}

type Scope = 'asset' | 'line' | 'plant';
const scopeId = (e: FixtureAsset, scope: Scope) => (scope === 'asset' ? e.assetId : scope === 'line' ? e.lineId : e.plantId);

/**
 * Counters of every scope id and window instance: a production event is an hour of running with
 * its parts; a downtime event moves its seconds from running to down, per reason.
 */
export function countersBy(events: FixtureEvent[], scope: Scope, window: 'day' | 'shift'): Map<string, { start: number; hierarchy: FixtureAsset; counters: KpiCounters }> {
  const out = new Map<string, { start: number; hierarchy: FixtureAsset; counters: KpiCounters }>();
  for (const e of events) {
    const start = windowInstanceAt(window, e.eventTimeMs).startMs;
    const key = `${scopeId(e, scope)}|${start}`;
    const entry = out.get(key) ?? { start, hierarchy: e, counters: emptyCounters() };
    const delta = emptyCounters();
    if (e.kind === 'production') {
      delta.runMs = 3_600_000;
      delta.goodCount = e.goodCount;
      delta.scrapCount = e.scrapCount;
      delta.idealMs = e.idealCycleSeconds * 1000 * (e.goodCount + e.scrapCount);
    } else {
      delta.runMs = -e.downSeconds * 1000;
      delta.downMs = e.downSeconds * 1000;
      delta.downByReasonMs = { [e.reasonCode!]: e.downSeconds * 1000 };
    }
    addCounters(entry.counters, delta);
    out.set(key, entry);
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function figuresRow(counters: KpiCounters) {
  const f = kpiFiguresOf(counters);
  return {
    good_count: f.goodCount,
    scrap_count: f.scrapCount,
    run_seconds: f.runSeconds,
    down_seconds: f.downtimeSeconds,
    ideal_seconds: counters.idealMs / 1000,
    availability: f.availability,
    performance: f.performance,
    quality: f.quality,
    oee: f.oee,
  };
}

function dailyKpiRows(events: FixtureEvent[]) {
  return (['asset', 'line', 'plant'] as const).flatMap((scope) =>
    [...countersBy(events, scope, 'day').values()].map(({ start, hierarchy: h, counters }) => ({
      scope,
      scope_id: scopeId(h, scope),
      enterprise_id: h.enterpriseId,
      plant_id: h.plantId,
      line_id: scope === 'plant' ? null : h.lineId,
      day_start: iso(start),
      ...figuresRow(counters),
      dt: dateOf(start),
    })),
  );
}

function downtimeRows(events: FixtureEvent[]) {
  const rows = new Map<string, Record<string, unknown> & { events: number; down_seconds: number }>();
  for (const e of events.filter((x) => x.kind === 'downtime')) {
    const start = windowInstanceAt('day', e.eventTimeMs).startMs;
    const key = `${e.assetId}|${start}|${e.reasonCode}`;
    const row = rows.get(key) ?? { enterprise_id: e.enterpriseId, plant_id: e.plantId, line_id: e.lineId, asset_id: e.assetId, day_start: iso(start), reason_code: e.reasonCode, events: 0, down_seconds: 0, dt: dateOf(start) };
    row.events += 1;
    row.down_seconds += e.downSeconds;
    rows.set(key, row);
  }
  return [...rows.values()];
}

const SHIFT_NAMES: Record<number, string> = { 6: 'early', 14: 'late', 22: 'night' };

function shiftRows(events: FixtureEvent[]) {
  return [...countersBy(events, 'line', 'shift').values()].map(({ start, hierarchy: h, counters }) => {
    const top = kpiFiguresOf(counters).downtimeByReason[0];
    return {
      enterprise_id: h.enterpriseId,
      plant_id: h.plantId,
      line_id: h.lineId,
      shift_start: iso(start),
      shift_name: SHIFT_NAMES[new Date(start).getUTCHours()],
      ...figuresRow(counters),
      top_downtime_reason: top?.reasonCode ?? null,
      top_downtime_seconds: top?.seconds ?? null,
      dt: dateOf(windowInstanceAt('day', start).startMs),
    };
  });
}

function curatedRows(events: FixtureEvent[]) {
  return events.map((e) => ({
    event_id: e.eventId,
    source: 'ampla',
    kind: e.kind,
    enterprise_id: e.enterpriseId,
    plant_id: e.plantId,
    line_id: e.lineId,
    asset_id: e.assetId,
    event_time: iso(e.eventTimeMs),
    ingest_time: iso(e.eventTimeMs + 500),
    measure: null,
    value: null,
    quality: null,
    good_count: e.kind === 'production' ? e.goodCount : null,
    scrap_count: e.kind === 'production' ? e.scrapCount : null,
    ideal_cycle_seconds: e.kind === 'production' ? e.idealCycleSeconds : null,
    state: null,
    reason_code: e.reasonCode,
    dt: dateOf(e.eventTimeMs),
  }));
}

const DUCK: Record<string, string> = { string: 'VARCHAR', bigint: 'BIGINT', int: 'INTEGER', double: 'DOUBLE', timestamp: 'TIMESTAMP', date: 'DATE', boolean: 'BOOLEAN' };

/** Writes rows as `<lake>/<zone>/<table>/dt=…/*.parquet` with the table's columns and types. */
async function writeTable(lakeDir: string, table: LakeTable, rows: Record<string, unknown>[]): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'lake-fixture-'));
  try {
    const json = join(work, 'rows.json');
    writeFileSync(json, rows.map((r) => JSON.stringify(r)).join('\n'));
    const columns = [...table.columns, ...table.partitionKeys];
    const struct = `{${columns.map((c) => `'${c.name}': '${c.type === 'date' ? 'VARCHAR' : DUCK[c.type]}'`).join(', ')}}`;
    const target = join(lakeDir, tablePrefix(table));
    mkdirSync(target, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    await db.run(
      `COPY (SELECT ${table.columns.map((c) => `"${c.name}"`).join(', ')}, "dt" FROM read_json('${json}', format = 'newline_delimited', columns = ${struct}))
       TO '${target}' (FORMAT parquet, PARTITION_BY (dt), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'part-{i}')`,
    );
    db.closeSync();
    instance.closeSync();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes curated plant_events and the refined kpis_daily, downtime_by_reason_daily and shift_reports for `events`. */
export async function writeLakeFixtures(lakeDir: string, events: FixtureEvent[]): Promise<void> {
  await writeTable(lakeDir, REFINED_DAILY_KPIS, dailyKpiRows(events));
  await writeTable(lakeDir, REFINED_DOWNTIME_BY_REASON, downtimeRows(events));
  await writeTable(lakeDir, REFINED_SHIFT_REPORTS, shiftRows(events));
  await writeTable(lakeDir, CURATED_PLANT_EVENTS, curatedRows(events));
}
