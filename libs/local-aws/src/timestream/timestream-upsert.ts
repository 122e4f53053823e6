import type { ColumnInfo, TableInfo } from './timestream-catalog';
import type { NormalizedRecord } from './timestream-records';
import { ingestionWindow, typeConflict, versionConflict } from './timestream-rejections';

/**
 * Timestream's upsert rules, without I/O: a record with the same dimensions, time and measure name
 * replaces the stored one only with a higher Version; identical values are a no-op; different
 * values with an equal or lower version are rejected (the rest of the call is written).
 */

export interface RejectedRecord {
  RecordIndex: number;
  Reason: string;
  ExistingVersion?: number;
}

export interface WriteOutcome {
  memoryStore: number;
  magneticStore: number;
  rejected: RejectedRecord[];
}

export interface StoredVersion {
  version: bigint;
  values: string;
}

/** One WriteRecords call with its records split by the ingestion window. */
export interface WindowedCall {
  records: NormalizedRecord[];
  inside: NormalizedRecord[];
  rejected: RejectedRecord[];
  memoryStart: bigint;
}

export interface UpsertPlan {
  outcomes: WriteOutcome[];
  /** Rows to store: the last accepted version of each key. */
  rows: NormalizedRecord[];
  /** Columns the accepted records add to the table. */
  newColumns: Map<string, ColumnInfo>;
}

/**
 * The ingestion window is checked before anything touches DuckDB: a time outside it (year 1,
 * 2999, 9999) is a rejected record in AWS, and it does not fit a TIMESTAMP_NS anyway.
 */
export function windowCalls(table: TableInfo, calls: readonly { records: NormalizedRecord[]; nowMs: number }[]): WindowedCall[] {
  return calls.map(({ records, nowMs }) => {
    const window = ingestionWindow(table, nowMs);
    const rejected: RejectedRecord[] = [];
    const inside = records.filter((record) => {
      if (record.overLimit) {
        rejected.push({ RecordIndex: record.index, Reason: record.overLimit });
        return false;
      }
      if (record.timeNs >= window.start && record.timeNs < window.end) return true;
      rejected.push({ RecordIndex: record.index, Reason: window.reason });
      return false;
    });
    return { records, inside, rejected, memoryStart: window.memoryStart };
  });
}

/**
 * Applies the calls in order against the stored versions (`existing` is updated as records are
 * accepted, so a later call sees an earlier one's rows), as if each call ran after the other.
 */
export function planUpserts(calls: readonly WindowedCall[], columns: ReadonlyMap<string, ColumnInfo>, existing: Map<string, StoredVersion>): UpsertPlan {
  const accepted: NormalizedRecord[] = [];
  const newColumns = new Map<string, ColumnInfo>();
  const outcomes = calls.map(({ records, inside, rejected, memoryStart }): WriteOutcome => {
    let magneticStore = 0;
    for (const record of inside) {
      const conflict = typeConflict(record, columns, newColumns);
      if (conflict) {
        rejected.push({ RecordIndex: record.index, Reason: conflict });
        continue;
      }
      const current = existing.get(record.key);
      if (current && current.values !== record.values && record.version <= current.version) {
        rejected.push(versionConflict(record, current.version));
        continue;
      }
      // Identical values with no higher version are an idempotent retry: ingested, nothing stored.
      if (!current || record.version > current.version) {
        existing.set(record.key, { version: record.version, values: record.values });
        for (const [name] of record.dimensions) if (!columns.has(name)) newColumns.set(name, { kind: 'dimension', type: 'VARCHAR' });
        for (const m of record.measures) if (!columns.has(m.column)) newColumns.set(m.column, { kind: 'measure', type: m.type });
        accepted.push(record);
      }
      if (record.timeNs < memoryStart) magneticStore++;
    }
    rejected.sort((a, b) => a.RecordIndex - b.RecordIndex);
    const ingested = records.length - rejected.length;
    return { memoryStore: ingested - magneticStore, magneticStore, rejected };
  });
  return { outcomes, rows: latestPerKey(accepted), newColumns };
}

/** Only the last accepted version of a key in one batch is stored. */
function latestPerKey(records: NormalizedRecord[]): NormalizedRecord[] {
  return [...new Map(records.map((r) => [r.key, r])).values()];
}
