import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { tablePrefix } from '@plant/config';
import { EtlOutput, EtlStep, substitute } from './etl-step';
import { etlSteps, outputName, typedColumns } from './etl-steps';
import {
  addDays,
  consecutiveBatches,
  dateRange,
  EtlState,
  fingerprintRaw,
  listRawFiles,
  partitionFiles,
  RawFile,
  readState,
  RUN_LOG_FILE,
  writeState,
} from './lake-folder';
import { DUCKDB } from './sql-dialect';
import { REJECT_REASONS, RejectReason } from './transforms/raw-to-curated';

/**
 * The local ETL runner: runs the ETL steps (the definition Glue runs too) with DuckDB over the lake
 * folder. Incremental: a curated date is rebuilt when the raw folder of it or of a neighbouring date
 * changed (objects, sizes, mtimes; see lake-folder.ts), a refined date when its curated date or a
 * neighbour changed content. Idempotent: every written partition is replaced as a whole (written
 * beside, then renamed) with rows in a fixed order, so a re-run writes the same files.
 */
export interface EtlRunOptions {
  lakeDir: string;
  /** Only these dates (yyyy-MM-dd, inclusive); default: every date with changes. */
  from?: string;
  to?: string;
  /** Dates computed per DuckDB batch: bounds memory (a batch reads its dates ± 1 day). Default 7. */
  batchDays?: number;
  /** Rebuild every date in range even if unchanged. */
  full?: boolean;
}

export interface StepRunLog {
  step: EtlStep['id'];
  partitions: string[];
  rowsIn: number;
  rowsOut: Record<string, number>;
  rejected: number;
  rejects: Partial<Record<RejectReason, number>>;
  duplicates: number;
  durationMs: number;
}

export interface EtlRunLog {
  runId: string;
  startedAt: string;
  durationMs: number;
  from?: string;
  to?: string;
  steps: StepRunLog[];
}

export async function runEtl(options: EtlRunOptions): Promise<EtlRunLog> {
  const started = Date.now();
  const { lakeDir } = options;
  const inRange = (d: string) => (!options.from || d >= options.from) && (!options.to || d <= options.to);
  const state = await readState(lakeDir);
  const rawFiles = await listRawFiles(lakeDir);
  const rawPrints = fingerprintRaw(rawFiles);
  const changedRaw = [...new Set([...rawPrints.keys(), ...Object.keys(state.raw)])].filter((dt) => options.full || rawPrints.get(dt) !== state.raw[dt]);
  const curatedDates = [...new Set(changedRaw.flatMap((dt) => [addDays(dt, -1), dt, addDays(dt, 1)]))].filter(inRange).sort();

  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run("SET TimeZone = 'UTC'");
    const [toCurated, toRefined] = etlSteps(DUCKDB);
    const curated = await runCurated(db, toCurated, lakeDir, rawFiles, curatedDates, state, options.batchDays ?? 7);
    const refinedDates = [...new Set(curated.changed.flatMap((dt) => [addDays(dt, -1), dt, addDays(dt, 1)]))].filter(inRange).sort();
    const refined = await runRefined(db, toRefined, lakeDir, refinedDates, options.batchDays ?? 7);
    // A raw date counts as done once all three curated dates it feeds were rebuilt in this run.
    const done = new Set(curatedDates);
    for (const dt of changedRaw) {
      if (![addDays(dt, -1), dt, addDays(dt, 1)].every((d) => done.has(d))) continue;
      if (rawPrints.has(dt)) state.raw[dt] = rawPrints.get(dt)!;
      else delete state.raw[dt];
    }
    await writeState(lakeDir, state);
    const log: EtlRunLog = {
      runId: createHash('sha256').update(`${started}${Math.random()}`).digest('hex').slice(0, 12),
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
      steps: [curated.log, refined],
    };
    await mkdir(dirname(join(lakeDir, RUN_LOG_FILE)), { recursive: true });
    await appendFile(join(lakeDir, RUN_LOG_FILE), `${JSON.stringify(log)}\n`);
    return log;
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;

async function runCurated(
  db: DuckDBConnection,
  step: EtlStep,
  lakeDir: string,
  rawFiles: readonly RawFile[],
  dates: readonly string[],
  state: EtlState,
  batchDays: number,
): Promise<{ log: StepRunLog; changed: string[] }> {
  const started = Date.now();
  const log = emptyLog(step);
  const changed: string[] = [];
  for (const batch of consecutiveBatches(dates, batchDays)) {
    const values = placeholders(batch.from, batch.to);
    const files = rawFiles.filter((f) => f.dt >= values.read_from && f.dt <= values.read_to);
    await db.run('CREATE OR REPLACE TEMP TABLE raw_lines (value VARCHAR, raw_dt VARCHAR)');
    const unzipped = await gunzipped(files);
    try {
      const paths = [...files.filter((f) => !f.path.endsWith('.gz')).map((f) => f.path), ...unzipped.paths];
      if (paths.length > 0) {
        await db.run(`INSERT INTO raw_lines
SELECT unnest(string_split(content, chr(10))) AS value, regexp_extract(filename, 'dt=([0-9-]+)', 1) AS raw_dt
FROM read_text([${paths.map(sqlText).join(', ')}])`);
      }
    } finally {
      await unzipped.remove();
    }
    await materialise(db, step, values);
    const [rowsIn] = await rows(db, `SELECT count(*) AS n FROM raw_checked WHERE raw_dt BETWEEN '${batch.from}' AND '${batch.to}'`);
    const [duplicates] = await rows(db, 'SELECT count(*) AS n FROM curated_ranked WHERE copy_number > 1');
    log.rowsIn += Number(rowsIn.n);
    log.duplicates += Number(duplicates.n);
    for (const r of await rows(db, `SELECT reject_reason, count(*) AS n FROM raw_checked
WHERE reject_reason IS NOT NULL AND raw_dt BETWEEN '${batch.from}' AND '${batch.to}' GROUP BY reject_reason`)) {
      const reason = String(r.reject_reason) as RejectReason;
      log.rejects[reason] = (log.rejects[reason] ?? 0) + Number(r.n);
      log.rejected += Number(r.n);
    }
    const [output] = step.outputs;
    for (const dt of dateRange(batch.from, batch.to)) {
      const written = await writePartition(db, output, lakeDir, dt);
      log.rowsOut[outputName(output)] = (log.rowsOut[outputName(output)] ?? 0) + written.rows;
      log.partitions.push(dt);
      if (state.curated[dt] !== written.hash) changed.push(dt);
      if (written.hash) state.curated[dt] = written.hash;
      else delete state.curated[dt];
    }
  }
  log.rejects = Object.fromEntries(REJECT_REASONS.filter((r) => log.rejects[r]).map((r) => [r, log.rejects[r]]));
  log.durationMs = Date.now() - started;
  return { log, changed };
}

async function runRefined(db: DuckDBConnection, step: EtlStep, lakeDir: string, dates: readonly string[], batchDays: number): Promise<StepRunLog> {
  const started = Date.now();
  const log = emptyLog(step);
  const source = step.reads === 'raw' ? undefined : step.reads;
  for (const batch of consecutiveBatches(dates, batchDays)) {
    const values = placeholders(batch.from, batch.to);
    const files = source ? await partitionFiles(join(lakeDir, tablePrefix(source)), values.read_from, values.read_to) : [];
    await db.run('CREATE SCHEMA IF NOT EXISTS lake');
    if (source && files.length > 0) {
      await db.run(`CREATE OR REPLACE VIEW lake.${source.name} AS SELECT * FROM read_parquet([${files.map(sqlText).join(', ')}], hive_partitioning = true, hive_types = {'dt': DATE})`);
    } else if (source) {
      // No curated data around these dates (it was removed): the refined partitions go too.
      await db.run(`CREATE OR REPLACE VIEW lake.${source.name} AS SELECT ${typedColumns(source).join(', ')}, CAST(NULL AS DATE) AS dt FROM (SELECT ${source.columns.map((c) => `NULL AS ${c.name}`).join(', ')}) WHERE false`);
    }
    await materialise(db, step, values);
    for (const output of step.outputs) {
      for (const dt of dateRange(batch.from, batch.to)) {
        const written = await writePartition(db, output, lakeDir, dt);
        log.rowsOut[outputName(output)] = (log.rowsOut[outputName(output)] ?? 0) + written.rows;
      }
    }
    const inputRows = await rows(db, `SELECT count(*) AS n FROM asset_events WHERE dt BETWEEN DATE '${batch.from}' AND DATE '${batch.to}'`);
    log.rowsIn += Number(inputRows[0].n);
    log.partitions.push(...dateRange(batch.from, batch.to));
  }
  log.durationMs = Date.now() - started;
  return log;
}

/**
 * Firehose in AWS writes GZIP objects (`.gz`, infra cold-path.ts); Spark reads them as text directly,
 * DuckDB's read_text does not decompress, so they are unpacked into a temp `dt=` folder first.
 */
async function gunzipped(files: readonly RawFile[]): Promise<{ paths: string[]; remove: () => Promise<void> }> {
  const zipped = files.filter((f) => f.path.endsWith('.gz'));
  if (zipped.length === 0) return { paths: [], remove: () => Promise.resolve() };
  const dir = await mkdtemp(join(tmpdir(), 'etl-raw-'));
  const paths: string[] = [];
  for (const [i, file] of zipped.entries()) {
    const path = join(dir, `dt=${file.dt}`, `${i}-${basename(file.path, '.gz')}`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, await promisify(gunzip)(await readFile(file.path)));
    paths.push(path);
  }
  return { paths, remove: () => rm(dir, { recursive: true, force: true }) };
}

function emptyLog(step: EtlStep): StepRunLog {
  return { step: step.id, partitions: [], rowsIn: 0, rowsOut: {}, rejected: 0, rejects: {}, duplicates: 0, durationMs: 0 };
}

function placeholders(from: string, to: string) {
  return { database: 'lake', from_date: from, to_date: to, read_from: addDays(from, -1), read_to: addDays(to, 1) };
}

/** DuckDB materialises each view once per batch (a view would be recomputed by every output). */
async function materialise(db: DuckDBConnection, step: EtlStep, values: Record<string, string>): Promise<void> {
  for (const view of step.views) await db.run(`CREATE OR REPLACE TEMP TABLE ${view.name} AS ${substitute(view.select, values)}`);
}

/** Replaces one `dt=` partition with the output's rows of that date (removes it when there are none). */
async function writePartition(db: DuckDBConnection, output: EtlOutput, lakeDir: string, dt: string): Promise<{ rows: number; hash?: string }> {
  const dir = join(lakeDir, tablePrefix(output.table), `dt=${dt}`);
  const where = `WHERE dt = DATE '${dt}'`;
  const [{ n }] = await rows(db, `SELECT count(*) AS n FROM ${output.view} ${where}`);
  if (Number(n) === 0) {
    if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
    return { rows: 0 };
  }
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'part-00000.parquet');
  const partial = join(dir, '.part-00000.parquet.partial');
  await db.run(`COPY (SELECT ${typedColumns(output.table).join(', ')} FROM ${output.view} ${where} ORDER BY ${output.orderBy.join(', ')}) TO ${sqlText(partial)} (FORMAT parquet)`);
  await rename(partial, file);
  return { rows: Number(n), hash: createHash('sha256').update(await readFile(file)).digest('hex') };
}

async function rows(db: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}
