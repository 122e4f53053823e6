import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local Firehose's write-ahead log: what `PutRecord`/`PutRecordBatch` acknowledged is on disk
 * before the answer, until the lake object holding it is written. AWS Firehose does not lose an
 * acknowledged record; a memory buffer does when the process dies (`kill -9` lost 2.3 % of a run).
 *
 * - One entry per call appended to the current segment: `[u32 rest length][u32 header length]
 *   [header JSON {s: stream, a: arrival ms, n: [record lengths]}][record bytes …]` — the records'
 *   bytes as they are, no base64 or JSON escaping on the hot path.
 *   Concurrent calls are written together (group commit): one write and one `fdatasync` for every
 *   call waiting, so durability costs a sync per group, not per call.
 * - Just before an object is renamed into place, a note `{k: object key, p: [[entry, index] …]}`
 *   goes to each of its records' segment's `.done` file; after the rename the segment's count of
 *   records not yet delivered drops, and a sealed segment at 0 is deleted with its notes. Segments
 *   roll at `SEGMENT_BYTES`.
 * - On open, the segments left by a previous process are read back without the records of every
 *   note whose object exists (a note whose object is missing was written by a process killed before
 *   its rename: those records are delivered again), and a torn last entry (a call never answered)
 *   is skipped. So a restart neither loses an acknowledged record nor repeats one in the lake; the
 *   exception is a lost note (power cut, no fsync on notes), which repeats that object's records,
 *   as Firehose itself may. The curated zone dedupes by `eventId`.
 */

const SEGMENT_BYTES = 16 * 1024 * 1024;
const SEGMENT = /^segment-(\d{12})\.log$/;

/** Where one record sits in the log: segment, entry (call) in it, position in that call. */
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
  entry: Buffer;
  records: number;
  resolve: (at: { segment: number; entry: number }) => void;
  reject: (err: unknown) => void;
}

export class FirehoseWal {
  private handle?: FileHandle;
  private segment: number;
  private segmentBytes = 0;
  private segmentEntries = 0;
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
  static open(dir: string, fsync: boolean, objectExists: (key: string) => boolean): { wal: FirehoseWal; recovered: WalEntry[] } {
    mkdirSync(dir, { recursive: true });
    const segments = readdirSync(dir)
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const recovered: WalEntry[] = [];
    const wal = new FirehoseWal(dir, fsync, (segments.at(-1) ?? 0) + 1);
    for (const segment of segments) {
      const entries = readSegment(dir, segment, objectExists);
      const count = entries.reduce((sum, e) => sum + e.records.length, 0);
      if (count === 0) wal.remove(segment);
      else wal.outstanding.set(segment, count);
      recovered.push(...entries.filter((e) => e.records.length));
    }
    return { wal, recovered };
  }

  /** Appends one call's records; resolves with their positions once they are on disk. */
  async append(stream: string, arrival: Date, records: Buffer[]): Promise<WalRef[]> {
    const entry = encodeEntry(stream, arrival, records);
    const at = await new Promise<{ segment: number; entry: number }>((resolve, reject) => {
      this.pending.push({ entry, records: records.length, resolve, reject });
      this.writing ??= this.writeGroups().finally(() => (this.writing = undefined));
    });
    return records.map((_, index) => ({ ...at, index }));
  }

  /** Notes that `key` holds these records; called after the object is written, before its rename. */
  intend(key: string, refs: WalRef[]): void {
    for (const [segment, positions] of bySegment(refs)) appendFileSync(join(this.dir, doneName(segment)), `${JSON.stringify({ k: key, p: positions })}\n`);
  }

  /** These records are in place; a sealed segment with nothing left is deleted with its notes. */
  delivered(refs: WalRef[]): void {
    for (const [segment, positions] of bySegment(refs)) {
      const left = (this.outstanding.get(segment) ?? 0) - positions.length;
      if (left > 0) {
        this.outstanding.set(segment, left);
        continue;
      }
      this.outstanding.delete(segment);
      if (segment !== this.segment) this.remove(segment);
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
        const body = Buffer.concat(group.map((p) => p.entry));
        await this.handle.write(body);
        if (this.fsync) await this.handle.datasync();
        this.segmentBytes += body.length;
        const records = group.reduce((sum, p) => sum + p.records, 0);
        this.outstanding.set(this.segment, (this.outstanding.get(this.segment) ?? 0) + records);
        for (const p of group) p.resolve({ segment: this.segment, entry: this.segmentEntries++ });
      } catch (err) {
        // A half-written group would shift the entry numbers of later calls: start a new segment.
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
    this.segmentEntries = 0;
    if (!this.outstanding.has(sealed)) this.remove(sealed);
  }
}

const segmentName = (segment: number) => `segment-${String(segment).padStart(12, '0')}.log`;
const doneName = (segment: number) => `segment-${String(segment).padStart(12, '0')}.done`;

function encodeEntry(stream: string, arrival: Date, records: Buffer[]): Buffer {
  const header = Buffer.from(JSON.stringify({ s: stream, a: arrival.getTime(), n: records.map((r) => r.length) }));
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32BE(4 + header.length + records.reduce((sum, r) => sum + r.length, 0), 0);
  lengths.writeUInt32BE(header.length, 4);
  return Buffer.concat([lengths, header, ...records]);
}

function bySegment(refs: WalRef[]): Map<number, Array<[number, number]>> {
  const groups = new Map<number, Array<[number, number]>>();
  for (const r of refs) {
    const positions = groups.get(r.segment) ?? [];
    positions.push([r.entry, r.index]);
    groups.set(r.segment, positions);
  }
  return groups;
}

/** Positions of a segment's records whose object exists; a torn last note (kill -9 during its write) is dropped. */
function deliveredPositions(path: string, objectExists: (key: string) => boolean): Set<string> {
  const done = new Set<string>();
  if (!existsSync(path)) return done;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    let note: { k: string; p: Array<[number, number]> };
    try {
      if (!line) continue;
      note = JSON.parse(line) as typeof note;
    } catch {
      continue; // a torn note: its object was never renamed into place
    }
    if (objectExists(note.k)) for (const [entry, index] of note.p) done.add(`${entry}:${index}`);
  }
  return done;
}

function readSegment(dir: string, segment: number, objectExists: (key: string) => boolean): WalEntry[] {
  const done = deliveredPositions(join(dir, doneName(segment)), objectExists);
  const file = readFileSync(join(dir, segmentName(segment)));
  const entries: WalEntry[] = [];
  // Entries are numbered in file order, exactly as append() numbered them; a torn tail (shorter
  // than its length says) is the last call, which was never answered.
  for (let offset = 0, entry = 0; offset + 8 <= file.length; entry++) {
    const rest = file.readUInt32BE(offset);
    if (offset + 4 + rest > file.length) break;
    const headerLength = file.readUInt32BE(offset + 4);
    const { s, a, n } = JSON.parse(file.subarray(offset + 8, offset + 8 + headerLength).toString('utf8')) as { s: string; a: number; n: number[] };
    let at = offset + 8 + headerLength;
    const records = n.map((length, index) => {
      const data = Buffer.from(file.subarray(at, at + length));
      at += length;
      return { data, ref: { segment, entry, index } };
    });
    entries.push({ stream: s, arrival: new Date(a), records: records.filter(({ ref }) => !done.has(`${ref.entry}:${ref.index}`)) });
    offset += 4 + rest;
  }
  return entries;
}
