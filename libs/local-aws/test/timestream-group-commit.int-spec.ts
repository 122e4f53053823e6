import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeRecords, WireRecord } from '../src/timestream/timestream-records';
import { TimestreamStore } from '../src/timestream/timestream-store';

/** One record of `asset` at a fixed minute; equal (asset, minute) = same Timestream identity. */
function record(asset: string, minute: number, value: number, version: number): WireRecord {
  return {
    Dimensions: [{ Name: 'asset', Value: asset }],
    MeasureName: 'm',
    MeasureValueType: 'MULTI',
    MeasureValues: [{ Name: 'value', Value: String(value), Type: 'DOUBLE' }],
    Time: String(Math.floor(Date.now() / 60_000) * 60_000 - minute * 60_000),
    Version: version,
  };
}

describe('local Timestream store: writes queued while DuckDB is busy are committed together', () => {
  let dir: string;
  let store: TimestreamStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ts-group-'));
    store = await TimestreamStore.open(join(dir, 'ts.duckdb'));
    await store.createDatabase('db1');
    await store.createTable({ database: 'db1', name: 'tbl', memoryHours: 24, magneticDays: 365, magneticWrites: true });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every concurrent call the outcome it would get one after another, and stores the last accepted version', async () => {
    const writes = [
      [record('a1', 1, 10, 1), record('a2', 1, 20, 1)],
      [record('a1', 1, 10, 1), record('a3', 1, 30, 1)], // a1 identical: idempotent retry
      [record('a2', 1, 21, 1)], // a2 other value, same version: rejected
      [record('a3', 1, 31, 2), record('a4', 1, 40, 1)], // a3 higher version: replaces
      [record('a4', 1, 41, 1), { ...record('a5', 1, 50, 1), MeasureValues: [{ Name: 'value', Value: 'x', Type: 'VARCHAR' }] }], // a4 conflict; a5 type conflict
    ];
    const outcomes = await Promise.all(writes.map((w) => store.write('db1', 'tbl', normalizeRecords(w))));
    expect(outcomes.map((o) => o.rejected.map((r) => r.RecordIndex))).toEqual([[], [], [0], [], [0, 1]]);
    expect(outcomes[2].rejected[0].ExistingVersion).toBe(1);
    expect(outcomes.map((o) => o.memoryStore)).toEqual([2, 2, 0, 2, 0]);
    const { rows } = await store.query(`SELECT asset, value FROM db1.tbl ORDER BY asset`);
    expect(rows).toEqual([
      ['a1', 10],
      ['a2', 20],
      ['a3', 31],
      ['a4', 40],
    ]);
  });

  it('a call for a table that does not exist fails alone', async () => {
    const [good, bad] = await Promise.allSettled([
      store.write('db1', 'tbl', normalizeRecords([record('b1', 2, 1, 1)])),
      store.write('db1', 'nope', normalizeRecords([record('b2', 2, 1, 1)])),
    ]);
    expect(good.status).toBe('fulfilled');
    expect(bad.status).toBe('rejected');
  });
});
