import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The local lake folder (the lake bucket of the local AWS stack: `<LOCAL_AWS_DATA_DIR>/lake`):
 * what the ETL runner reads from raw and remembers between runs. `_etl/` holds the runner's state
 * and run log (a leading underscore: Spark, Athena and DuckDB's hive reader skip it).
 */
export const ETL_FOLDER = '_etl';
export const STATE_FILE = `${ETL_FOLDER}/state.json`;
export const RUN_LOG_FILE = `${ETL_FOLDER}/runs.jsonl`;

export interface RawFile {
  path: string;
  dt: string;
  size: number;
  mtimeMs: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Every raw object (`raw/source=*\/dt=*\/hour=*\/*`), skipping Firehose's hidden partial files. */
export async function listRawFiles(lakeDir: string): Promise<RawFile[]> {
  const files: RawFile[] = [];
  const rawDir = join(lakeDir, 'raw');
  for (const source of await folders(rawDir, 'source=')) {
    for (const dtFolder of await folders(join(rawDir, source), 'dt=')) {
      const dt = dtFolder.slice(3);
      if (!DATE.test(dt)) continue;
      for (const hour of await folders(join(rawDir, source, dtFolder), 'hour=')) {
        const dir = join(rawDir, source, dtFolder, hour);
        for (const name of (await readdir(dir)).filter((n) => !n.startsWith('.')).sort()) {
          const path = join(dir, name);
          const info = await stat(path);
          if (info.isFile()) files.push({ path, dt, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
        }
      }
    }
  }
  return files;
}

async function folders(dir: string, prefix: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name.startsWith(prefix)).map((e) => e.name).sort();
}

/** A raw date's fingerprint: its objects, sizes and modification times (a rewritten object changes it). */
export function fingerprintRaw(files: readonly RawFile[]): Map<string, string> {
  const byDate = new Map<string, string[]>();
  for (const f of files) byDate.set(f.dt, [...(byDate.get(f.dt) ?? []), `${f.path}\u0000${f.size}\u0000${f.mtimeMs}`]);
  return new Map([...byDate].map(([dt, entries]) => [dt, createHash('sha256').update(entries.sort().join('\n')).digest('hex')]));
}

export interface EtlState {
  version: 1;
  /** Fingerprint per raw date folder, as of the last run that curated its dates. */
  raw: Record<string, string>;
  /** Content hash per curated partition, as last written. */
  curated: Record<string, string>;
}

export async function readState(lakeDir: string): Promise<EtlState> {
  try {
    const state = JSON.parse(await readFile(join(lakeDir, STATE_FILE), 'utf8')) as EtlState;
    if (state.version === 1) return state;
  } catch {
    // No state yet (first run) or an unreadable one: everything is new, which is always correct.
  }
  return { version: 1, raw: {}, curated: {} };
}

/** Written beside and renamed, so a crash never leaves half a state file. */
export async function writeState(lakeDir: string, state: EtlState): Promise<void> {
  const path = join(lakeDir, STATE_FILE);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, `${JSON.stringify(state, null, 1)}\n`);
  await rename(`${path}.tmp`, path);
}

/** Parquet files of a table's partitions within [from, to] (dates as yyyy-MM-dd). */
export async function partitionFiles(tableDir: string, from: string, to: string): Promise<string[]> {
  const out: string[] = [];
  for (const folder of await folders(tableDir, 'dt=')) {
    const dt = folder.slice(3);
    if (dt < from || dt > to) continue;
    for (const name of (await readdir(join(tableDir, folder))).sort()) if (name.endsWith('.parquet') && !name.startsWith('.')) out.push(join(tableDir, folder, name));
  }
  return out;
}

export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The dates from..to inclusive. */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Sorted dates cut into runs of consecutive dates, each at most `maxDays` long. */
export function consecutiveBatches(dates: Iterable<string>, maxDays: number): { from: string; to: string }[] {
  const sorted = [...new Set(dates)].sort();
  const batches: { from: string; to: string }[] = [];
  for (const date of sorted) {
    const last = batches.at(-1);
    if (last && addDays(last.to, 1) === date && dateRange(last.from, date).length <= maxDays) last.to = date;
    else batches.push({ from: date, to: date });
  }
  return batches;
}
