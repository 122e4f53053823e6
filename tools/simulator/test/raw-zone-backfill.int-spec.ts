import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { decodePlantEvent } from '@plant/contracts';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { backfillRawZone, parseBackfillArgs } from '@plant/simulator';

/** Relative path → lines of every object under `raw/`. */
function rawObjects(lakeDir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const entry of readdirSync(join(lakeDir, 'raw'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(lakeDir, path), readFileSync(path, 'utf8').split('\n').filter(Boolean));
  }
  return out;
}

const folderOf = (key: string) => key.slice(0, key.lastIndexOf('/'));
const options = { days: 1, end: new Date('2026-11-10T00:00:00Z'), seed: 'backfill-test', plants: 1, lines: 1, assets: 2, eventsPerSecond: 0.2 };

describe('raw-zone backfill', () => {
  let lakeDir: string;
  let stack: LocalAwsStack;

  beforeAll(async () => {
    lakeDir = join(await mkdtemp(join(tmpdir(), 'backfill-')), 'lake');
    await backfillRawZone({ ...options, lakeDir });
    stack = await startLocalAws({ port: 0, firehoseBuffering: { maxIntervalMs: 60_000 } });
  }, 120_000);
  afterAll(async () => {
    await stack.stop();
    rmSync(stack.lakeDir, { recursive: true, force: true });
    rmSync(lakeDir, { recursive: true, force: true });
  });

  it('writes valid PlantEvents of the requested days as JSON lines', () => {
    const lines = [...rawObjects(lakeDir).values()].flat();
    expect(lines.length).toBeGreaterThan(options.days * 86_400 * options.eventsPerSecond * 0.9);
    for (const line of lines) {
      const decoded = decodePlantEvent(Buffer.from(line));
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(Date.parse(decoded.event.eventTime)).toBeLessThan(options.end.getTime() + 60_000);
    }
    const kinds = new Set(lines.map((l) => (JSON.parse(l) as { kind: string }).kind));
    expect(kinds).toEqual(new Set(['measurement', 'production', 'downtime', 'quality', 'machine-state', 'alarm']));
  });

  it('puts every event into the source partition the local raw Firehose stream uses, dated by its simulated arrival, in objects named like its own', async () => {
    const backfilled = rawObjects(lakeDir);
    const sample = [...backfilled].flatMap(([key, lines]) => lines.slice(0, 3).map((line) => ({ folder: folderOf(key), line })));
    const firehose = createClient(FirehoseClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    try {
      for (let i = 0; i < sample.length; i += 500) {
        const out = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: ResourceNames.rawDeliveryStream, Records: sample.slice(i, i + 500).map((s) => ({ Data: Buffer.from(s.line) })) }));
        expect(out.FailedPutCount).toBe(0);
      }
    } finally {
      firehose.destroy();
    }
    await fetch(`${stack.endpoint}/_local/firehose/flush`, { method: 'POST' });
    const delivered = new Map<string, string>();
    for (const [key, lines] of rawObjects(stack.lakeDir)) for (const line of lines) delivered.set(line, folderOf(key));
    // Firehose dates a folder by arrival (now, for this test's puts); the backfill by the simulated
    // arrival, which is at or after the event time and within a minute of its ingest time.
    const sourceOf = (folder: string | undefined) => folder?.split('/')[1];
    for (const { folder, line } of sample) {
      expect({ line, source: sourceOf(delivered.get(line)) }).toEqual({ line, source: sourceOf(folder) });
      const event = JSON.parse(line) as { eventTime: string; ingestTime: string };
      const [, , dt, hour] = folder.split('/');
      const arrivalHour = Date.parse(`${dt.slice(3)}T${hour.slice(5)}:00:00Z`);
      expect(arrivalHour).toBeLessThanOrEqual(Date.parse(event.ingestTime) + 60_000);
      expect(arrivalHour + 3_600_000).toBeGreaterThan(Date.parse(event.eventTime));
    }
    const firehoseName = /^plant-raw-1-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-/;
    for (const key of [...backfilled.keys(), ...rawObjects(stack.lakeDir).keys()]) expect(key.split('/').pop()).toMatch(firehoseName);
  });

  it('is deterministic: a second run into another folder writes the same objects, and a re-run replaces them', async () => {
    const other = join(await mkdtemp(join(tmpdir(), 'backfill-')), 'lake');
    try {
      await backfillRawZone({ ...options, lakeDir: other });
      expect(rawObjects(other)).toEqual(rawObjects(lakeDir));
      await backfillRawZone({ ...options, lakeDir: other });
      expect(rawObjects(other)).toEqual(rawObjects(lakeDir));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 120_000);

  it('reads `--backfill 90d` as 90 days and refuses a bad count with the limit', () => {
    expect(parseBackfillArgs(['--backfill', '90d'])).toMatchObject({ days: 90, rate: 2, seed: '1' });
    expect(parseBackfillArgs(['--days', '3', '--end', '2026-11-01'])).toMatchObject({ days: 3, end: '2026-11-01' });
    expect(() => parseBackfillArgs(['--backfill', 'lots'])).toThrow('--backfill must be a number of days such as 90d');
    expect(() => parseBackfillArgs(['--days', '401'])).toThrow('--days must be at most 400');
    expect(() => parseBackfillArgs([])).toThrow(/--days/);
  });
});
