import { AwsLimits } from '@plant/config';
import type { NormalizedRecord } from './timestream-records';
import type { ColumnInfo, TableInfo } from './timestream-catalog';
import type { RejectedRecord } from './timestream-upsert';

/**
 * Why Timestream rejects a single record of a WriteRecords call (RejectedRecords), with AWS's
 * reason texts where AWS documents or returns them; the rest of the call is written.
 * https://docs.aws.amazon.com/timestream/latest/developerguide/API_RejectedRecord.html
 */

export function typeConflict(record: NormalizedRecord, known: ReadonlyMap<string, ColumnInfo>, pending: ReadonlyMap<string, ColumnInfo>): string | undefined {
  const existing = (name: string) => known.get(name) ?? pending.get(name);
  for (const [name] of record.dimensions) {
    const col = existing(name);
    if (col && col.kind !== 'dimension') return `Dimension ${name} conflicts with the measure of the same name in the table.`;
  }
  for (const m of record.measures) {
    const col = existing(m.column);
    if (col && (col.kind !== 'measure' || col.type !== m.type)) {
      return `Measure ${m.column} of type ${m.type} conflicts with the existing ${col.kind} ${m.column} of type ${col.type}.`;
    }
  }
  return undefined;
}

// Reason texts as AWS returns them (see docs/local-aws.md).
export function versionConflict(record: NormalizedRecord, existingVersion: bigint): RejectedRecord {
  if (record.version === existingVersion) {
    return {
      RecordIndex: record.index,
      Reason:
        'A record already exists with the same time, dimensions, measure name, and record version. A higher record version must be specified in order to update the measure value. Specifying record version is supported by the latest SDKs.',
      ExistingVersion: Number(existingVersion),
    };
  }
  return {
    RecordIndex: record.index,
    Reason: `The record version ${record.version} is lower than the existing version ${existingVersion}. A higher version is required to update the measure value.`,
    ExistingVersion: Number(existingVersion),
  };
}

/**
 * Timestream accepts a record from the start of the memory store retention (or of the magnetic
 * store retention when magnetic writes are on) up to the future ingestion period (15 min) ahead
 * of now; anything else is a rejected record with the window in its reason, as AWS words it
 * ("… of the memory store." / "… of the data ingestion window.").
 * https://docs.aws.amazon.com/timestream/latest/developerguide/data-ingest.html
 * https://docs.aws.amazon.com/timestream/latest/developerguide/ts-limits.html
 */
const FUTURE_INGESTION_MS = AwsLimits.timestream.futureIngestionMs;
/** TIMESTAMP_NS is epoch nanoseconds in an INT64: 1677-09-21 … 2262-04-11, Timestream's own timestamp range. */
const MIN_TIME_NS = -(2n ** 63n) + 1n;
const MAX_TIME_NS = 2n ** 63n - 1n;

export function ingestionWindow(table: TableInfo, nowMs: number) {
  const ns = (ms: number) => BigInt(ms) * 1_000_000n;
  const memoryStart = ns(nowMs - table.memoryHours * 3_600_000);
  const rawStart = table.magneticWrites ? ns(nowMs - table.magneticDays * 86_400_000) : memoryStart;
  const start = rawStart < MIN_TIME_NS ? MIN_TIME_NS : rawStart;
  const rawEnd = ns(nowMs + FUTURE_INGESTION_MS);
  const end = rawEnd > MAX_TIME_NS ? MAX_TIME_NS : rawEnd;
  const iso = (at: bigint) => new Date(Number(at / 1_000_000n)).toISOString();
  const store = table.magneticWrites ? 'data ingestion window' : 'memory store';
  return { start, end, memoryStart, reason: `The record timestamp is outside the time range [${iso(start)}, ${iso(end)}) of the ${store}.` };
}
