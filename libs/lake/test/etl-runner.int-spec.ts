import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodePlantEvent, PlantEvent } from '@plant/contracts';
import { kpiFiguresOf } from '@plant/domain';
import { EtlRunLog, listRawFiles, RUN_LOG_FILE, runEtl } from '@plant/lake';
import { liveCounters, rawEvents, readTable, simulatedLake } from './lake-fixture';

/** Every Parquet file of the lake's curated and refined zones with its mtime and content hash. */
function zoneFiles(lakeDir: string): Map<string, { mtimeMs: number; hash: string }> {
  const out = new Map<string, { mtimeMs: number; hash: string }>();
  for (const entry of readdirSync(lakeDir, { recursive: true, encoding: 'utf8' })) {
    if (!/^(curated|refined)\//.test(entry) || !entry.endsWith('.parquet')) continue;
    const path = join(lakeDir, entry);
    out.set(entry, { mtimeMs: statSync(path).mtimeMs, hash: createHash('sha256').update(readFileSync(path)).digest('hex') });
  }
  return out;
}

const KPI_FIELDS = ['availability', 'performance', 'quality', 'oee', 'goodCount', 'scrapCount', 'runSeconds', 'downtimeSeconds'] as const;
const rowFigures = (row: Record<string, unknown>) => ({
  availability: row.availability,
  performance: row.performance,
  quality: row.quality,
  oee: row.oee,
  goodCount: Number(row.good_count),
  scrapCount: Number(row.scrap_count),
  runSeconds: row.run_seconds,
  downtimeSeconds: row.down_seconds,
});
const liveFigures = (counters: Parameters<typeof kpiFiguresOf>[0]) => {
  const figures = kpiFiguresOf(counters);
  return Object.fromEntries(KPI_FIELDS.map((f) => [f, figures[f]]));
};

describe('lake ETL: raw → curated → refined with DuckDB', () => {
  let lakeDir: string;
  let first: EtlRunLog;
  let duplicatedLines: number;
  let sample: PlantEvent;
  let events: PlantEvent[];
  let validLines = 0;

  beforeAll(async () => {
    lakeDir = await simulatedLake();
    const files = await listRawFiles(lakeDir);
    // Firehose after a stream-writer crash: one object delivered twice under another name.
    const copied = files.find((f) => f.path.includes('source=ampla-iqt') && f.dt === '2026-11-18')!;
    copyFileSync(copied.path, copied.path.replace(/\.jsonl$/, '-again.jsonl'));
    // Firehose in AWS writes GZIP objects: one object of the fixture as AWS would have written it.
    const zipped = files.find((f) => f.path.includes('source=das') && f.dt === '2026-11-19')!;
    writeFileSync(`${zipped.path}.gz`, gzipSync(readFileSync(zipped.path)));
    rmSync(zipped.path);
    duplicatedLines = readFileSync(copied.path, 'utf8').split('\n').filter((l) => l.trim()).length;
    sample = (await rawEvents(lakeDir)).find((e) => e.kind === 'production')!;
    const spoilt = (patch: Record<string, unknown>) => JSON.stringify({ ...sample, eventId: `spoilt-${JSON.stringify(patch)}`, ...patch });
    const { assetId: _assetId, ...withoutAsset } = sample;
    const rejects = [
      'not json at all',
      '[1, 2, 3]',
      spoilt({ schemaVersion: 2 }),
      spoilt({ kind: 'teleport' }),
      JSON.stringify({ ...withoutAsset, eventId: 'spoilt-no-asset' }),
      spoilt({ goodCount: -1 }),
      spoilt({ eventTime: 'yesterday' }),
    ];
    const dir = join(lakeDir, 'raw/source=ampla-iqt/dt=2026-11-18/hour=10');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'plant-raw-1-2026-11-18-10-59-59-broken.jsonl'), `${rejects.join('\n')}\n`);
    // Written in UTC+5 just after local midnight: raw dt=2026-11-19 (Firehose takes the text), UTC date 2026-11-18.
    const offset = { ...sample, eventId: 'written-with-offset', eventTime: '2026-11-19T01:30:00.000+05:00', ingestTime: '2026-11-18T20:30:01.000Z' };
    const offsetDir = join(lakeDir, 'raw/source=ampla-iqt/dt=2026-11-19/hour=01');
    mkdirSync(offsetDir, { recursive: true });
    writeFileSync(join(offsetDir, 'plant-raw-1-2026-11-18-20-30-05-offset.jsonl'), `${JSON.stringify(offset)}\n`);
    for (const file of await listRawFiles(lakeDir)) {
      const bytes = readFileSync(file.path);
      for (const line of (file.path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8').split('\n')) if (line.trim() && decodePlantEvent(Buffer.from(line)).ok) validLines++;
    }
    events = await rawEvents(lakeDir);
    first = await runEtl({ lakeDir });
  }, 300_000);

  it('curates every valid event exactly once and counts the dropped copies', async () => {
    const curated = await readTable(lakeDir, 'curated/plant_events/', 'event_id');
    expect(curated.map((r) => r.event_id)).toEqual(events.map((e) => e.eventId).sort());
    // The simulator repeats some records itself (an Ampla downtime's start comes again with its end).
    expect(first.steps[0].duplicates).toBe(validLines - events.length);
    expect(first.steps[0].duplicates).toBeGreaterThanOrEqual(duplicatedLines);
    expect(first.steps[0].rowsOut['curated/plant_events']).toBe(events.length);
  });

  it('counts every rejected line with its reason in the run log, printed and appended to _etl/runs.jsonl', () => {
    expect(first.steps[0].rejects).toEqual({
      invalid_json: 2,
      unsupported_schema_version: 1,
      missing_hierarchy: 1,
      bad_event_time: 1,
      unknown_kind: 1,
      invalid_production: 1,
    });
    expect(first.steps[0].rejected).toBe(7);
    const logged = readFileSync(join(lakeDir, RUN_LOG_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EtlRunLog);
    expect(logged.at(-1)).toEqual(first);
  });

  it('puts every event into the partition of its UTC event date, whatever offset it was written with', async () => {
    const curated = await readTable(lakeDir, 'curated/plant_events/', 'event_id');
    const byId = new Map(events.map((e) => [e.eventId, e]));
    expect(curated.find((r) => r.event_id === 'written-with-offset')?.dt).toBe('2026-11-18');
    for (const row of curated) expect(row.dt).toBe(new Date(byId.get(String(row.event_id))!.eventTime).toISOString().slice(0, 10));
  });

  it('computes kpis_daily for assets, lines and plants exactly like the live KPIs of libs/domain', async () => {
    const live = liveCounters(events, 'day');
    const rows = await readTable(lakeDir, 'refined/kpis_daily/', 'scope, scope_id, day_start');
    expect(rows.map((r) => `${String(r.scope)}/${String(r.scope_id)}/${(r.day_start as Date).getTime()}`).sort()).toEqual([...live.keys()].sort());
    expect(new Set(rows.map((r) => r.scope))).toEqual(new Set(['asset', 'line', 'plant']));
    for (const row of rows) {
      const expected = live.get(`${String(row.scope)}/${String(row.scope_id)}/${(row.day_start as Date).getTime()}`)!;
      expect({ key: `${String(row.scope)}/${String(row.scope_id)}/${String(row.dt)}`, ...rowFigures(row) }).toEqual({ key: `${String(row.scope)}/${String(row.scope_id)}/${String(row.dt)}`, ...liveFigures(expected.counters) });
    }
    expect(rows.some((r) => Number(r.oee) > 0 && Number(r.down_seconds) > 0)).toBe(true);
  });

  it('computes shift_reports like the live shift KPIs of each line, with its largest downtime reason', async () => {
    const live = liveCounters(events, 'shift');
    const rows = await readTable(lakeDir, 'refined/shift_reports/', 'line_id, shift_start');
    const lineShifts = [...live.values()].filter((v) => v.scope === 'line');
    expect(rows.length).toBe(lineShifts.length);
    for (const row of rows) {
      const expected = live.get(`line/${String(row.line_id)}/${(row.shift_start as Date).getTime()}`)!;
      expect(rowFigures(row)).toEqual(liveFigures(expected.counters));
      const top = kpiFiguresOf(expected.counters).downtimeByReason[0];
      expect({ reason: row.top_downtime_reason ?? undefined, seconds: row.top_downtime_seconds ?? undefined }).toEqual({ reason: top?.reasonCode, seconds: top?.seconds });
    }
  });

  it('a second run without new raw objects rebuilds nothing and touches no file', async () => {
    const before = zoneFiles(lakeDir);
    const again = await runEtl({ lakeDir });
    expect(again.steps.map((s) => s.partitions)).toEqual([[], []]);
    expect(zoneFiles(lakeDir)).toEqual(before);
  });

  it('a full re-run writes byte-identical partitions (idempotent, no duplicates)', async () => {
    const before = zoneFiles(lakeDir);
    const full = await runEtl({ lakeDir, full: true });
    expect(full.steps[0].partitions.length).toBeGreaterThan(0);
    const after = zoneFiles(lakeDir);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [file, { hash }] of after) expect({ file, hash }).toEqual({ file, hash: before.get(file)!.hash });
  });

  it('a late event lands in the partition of its event date; only that date and its neighbours are rebuilt', async () => {
    const before = zoneFiles(lakeDir);
    const late = { ...sample, eventId: 'late-arrival-1', eventTime: '2026-11-18T10:30:00.000Z', ingestTime: '2026-11-19T09:00:00.000Z', goodCount: 7, scrapCount: 0 };
    const dir = join(lakeDir, 'raw/source=ampla-iqt/dt=2026-11-18/hour=10');
    writeFileSync(join(dir, 'plant-raw-1-2026-11-19-09-00-05-late.jsonl'), `${JSON.stringify(late)}\n`);
    const run = await runEtl({ lakeDir });
    expect(run.steps[0].partitions).toEqual(['2026-11-17', '2026-11-18', '2026-11-19']);
    expect(run.steps[1].partitions).toEqual(['2026-11-17', '2026-11-18', '2026-11-19']);
    const curated = await readTable(lakeDir, 'curated/plant_events/', 'event_id');
    expect(curated.find((r) => r.event_id === 'late-arrival-1')?.dt).toBe('2026-11-18');
    const after = zoneFiles(lakeDir);
    const changed = [...after].filter(([file, { hash }]) => before.get(file)?.hash !== hash).map(([file]) => file);
    expect(changed.filter((f) => f.startsWith('curated/'))).toEqual(['curated/plant_events/dt=2026-11-18/part-00000.parquet']);
    for (const [file, info] of after) if (file.includes('dt=2026-11-20')) expect(info.mtimeMs).toBe(before.get(file)!.mtimeMs);
    const live = liveCounters(await rawEvents(lakeDir), 'day');
    const plantDay = (await readTable(lakeDir, 'refined/kpis_daily/', 'scope_id')).find((r) => r.scope === 'plant' && r.dt === '2026-11-18')!;
    expect(rowFigures(plantDay)).toEqual(liveFigures(live.get(`plant/${String(plantDay.scope_id)}/${(plantDay.day_start as Date).getTime()}`)!.counters));
  });
});
