import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local Firehose's write-ahead log: what `PutRecord`/`PutRecordBatch` acknowledged is on disk
 * before the answer, until the lake object holding it is written. AWS Firehose does not lose an
 * acknowledged record; a memory buffer does when the process dies (`kill -9` lost 2.3 % of a run).
 *
 * - One line per call (`{s: stream, a: arrival ms, r: [base64 …]}`) appended to the current segment.
 *   Concurrent calls are written together (group commit): one write and one `fdatasync` for every
 *   call waiting, so durability costs a sync per group, not per call.
 * - Once an object is written (and renamed into place), the positions of its records are appended
 *   to the segment's `.done` file, and each segment counts its records not yet delivered; a sealed
 *   segment whose count reaches 0 is deleted with its `.done` file. Segments roll at `SEGMENT_BYTES`.
 * - On open, the segments left by a previous process are read back without the records their
 *   `.done` files name (a torn last line, from a call that was never answered, is skipped) and
 *   handed to the caller to deliver again. Only the records of an object written in the instant
 *   between its rename and its `.done` line are delivered twice: duplicates, never losses, as with
 *   Firehose itself; the curated zone dedupes by `eventId`.
 */

const SEGMENT_BYTES = 16 * 1024 * 1024;
const SEGMENT = /^segment-(\d{12})\.log$/;

/** Where one record sits in the log: segment, line in it, position in that line's call. */
export interface WalRef {
  segment: number;
  entry: number;
  index: number;
}

/** A call read back from the log: only its records not delivered yet, each with its position. */
export interface WalEntry {
  stream: string;
  arrival: Date;
  records: Array<{ data: Buffer; ref: WalRef }>;
}

interface PendingAppend {
  line: Buffer;
  records: number;
  resolve: (at: { segment: number; entry: number }) => void;
  reject: (err: unknown) => void;
}

export class FirehoseWal {
  private handle?: FileHandle;
  private segment: number;
  private segmentBytes = 0;
  private segmentLines = 0;
  private readonly outstanding = new Map<number, number>();
  private pending: PendingAppend[] = [];
  private writing?: Promise<void>;

  private constructor(
    private readonly dir: string,
    private readonly fsync: boolean,
    nextSegment: number,
  ) {
    this.segment = nextSegment;
  }

  /** Opens the log folder and returns what earlier processes acknowledged but did not deliver. */
  static open(dir: string, fsync: boolean): { wal: FirehoseWal; recovered: WalEntry[] } {
    mkdirSync(dir, { recursive: true });
    const segments = readdirSync(dir)
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const recovered: WalEntry[] = [];
    const wal = new FirehoseWal(dir, fsync, (segments.at(-1) ?? 0) + 1);
    for (const segment of segments) {
      const entries = readSegment(dir, segment);
      const count = entries.reduce((sum, e) => sum + e.records.length, 0);
      if (count === 0) wal.remove(segment);
      else wal.outstanding.set(segment, count);
      recovered.push(...entries.filter((e) => e.records.length));
    }
    return { wal, recovered };
  }

  /** Appends one call's records; resolves with their positions once they are on disk. */
  async append(stream: string, arrival: Date, records: Buffer[]): Promise<WalRef[]> {
    const line = Buffer.from(`${JSON.stringify({ s: stream, a: arrival.getTime(), r: records.map((r) => r.toString('base64')) })}\n`);
    const { segment, entry } = await new Promise<{ segment: number; entry: number }>((resolve, reject) => {
      this.pending.push({ line, records: records.length, resolve, reject });
      this.writing ??= this.writeGroups().finally(() => (this.writing = undefined));
    });
    return records.map((_, index) => ({ segment, entry, index }));
  }

  /**
   * These records are in a written object: noted in their segments' `.done` files (no fsync: a lost
   * note only means a duplicate after a crash), and a sealed segment with nothing left is deleted.
   */
  delivered(refs: WalRef[]): void {
    const bySegment = new Map<number, Array<[number, number]>>();
    for (const r of refs) bySegment.set(r.segment, [...(bySegment.get(r.segment) ?? []), [r.entry, r.index]]);
    for (const [segment, positions] of bySegment) {
      const left = (this.outstanding.get(segment) ?? 0) - positions.length;
      if (left > 0) {
        this.outstanding.set(segment, left);
        appendFileSync(join(this.dir, doneName(segment)), `${JSON.stringify(positions)}\n`);
        continue;
      }
      this.outstanding.delete(segment);
      if (segment !== this.segment) this.remove(segment);
      else appendFileSync(join(this.dir, doneName(segment)), `${JSON.stringify(positions)}\n`);
    }
  }

  /** Waits for appends in progress, closes the segment, and deletes it when everything in it was delivered. */
  async close(): Promise<void> {
    while (this.writing) await this.writing;
    await this.handle?.close();
    this.handle = undefined;
    if (!this.outstanding.has(this.segment)) this.remove(this.segment);
  }

  private remove(segment: number): void {
    rmSync(join(this.dir, segmentName(segment)), { force: true });
    rmSync(join(this.dir, doneName(segment)), { force: true });
  }

  private async writeGroups(): Promise<void> {
    while (this.pending.length) {
      const group = this.pending;
      this.pending = [];
      try {
        if (this.segmentBytes >= SEGMENT_BYTES) await this.roll();
        this.handle ??= await open(join(this.dir, segmentName(this.segment)), 'a');
        const body = Buffer.concat(group.map((p) => p.line));
        await this.handle.write(body);
        if (this.fsync) await this.handle.datasync();
        this.segmentBytes += body.length;
        const records = group.reduce((sum, p) => sum + p.records, 0);
        this.outstanding.set(this.segment, (this.outstanding.get(this.segment) ?? 0) + records);
        for (const p of group) p.resolve({ segment: this.segment, entry: this.segmentLines++ });
      } catch (err) {
        // A half-written group would shift the line numbers of later calls: start a new segment.
        this.segmentBytes = SEGMENT_BYTES;
        for (const p of group) p.reject(err);
      }
    }
  }

  private async roll(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    const sealed = this.segment;
    this.segment++;
    this.segmentBytes = 0;
    this.segmentLines = 0;
    if (!this.outstanding.has(sealed)) this.remove(sealed);
  }
}

const segmentName = (segment: number) => `segment-${String(segment).padStart(12, '0')}.log`;
const doneName = (segment: number) => `segment-${String(segment).padStart(12, '0')}.done`;

/** Lines of a file; a torn last line (kill -9 during its write) is dropped by the caller's parse. */
function lines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
}

function readSegment(dir: string, segment: number): WalEntry[] {
  const done = new Set<string>();
  for (const line of lines(join(dir, doneName(segment)))) {
    try {
      for (const [entry, index] of JSON.parse(line) as Array<[number, number]>) done.add(`${entry}:${index}`);
    } catch {
      // a torn note: its records are delivered again (a duplicate, not a loss)
    }
  }
  const entries: WalEntry[] = [];
  // Line numbers count every line, torn ones too, exactly as append() numbered them.
  lines(join(dir, segmentName(segment))).forEach((line, entry) => {
    try {
      const { s, a, r } = JSON.parse(line) as { s: string; a: number; r: string[] };
      const records = r
        .map((d, index) => ({ data: Buffer.from(d, 'base64'), ref: { segment, entry, index } }))
        .filter(({ ref }) => !done.has(`${ref.entry}:${ref.index}`));
      entries.push({ stream: s, arrival: new Date(a), records });
    } catch {
      // Only the last line can be torn, and its call was never answered.
    }
  });
  return entries;
}
