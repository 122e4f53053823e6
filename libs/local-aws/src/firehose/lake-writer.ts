import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { DeliveryStream } from './delivery-stream';
import type { WalRef } from './firehose-wal';
import { PartitioningError, renderPrefix } from './partitioning';

/**
 * Buffers accepted records per destination prefix and writes each full (or timed-out) buffer as one
 * object into the lake folder, like Firehose's S3 delivery: objects appear atomically (written
 * beside, then renamed) so a reader never sees half an object. Records whose partition keys cannot
 * be extracted go, wrapped with the error, under the stream's ErrorOutputPrefix.
 */

/** How many written objects `flushAll` reports (an inspection log, not the data itself). */
const WRITTEN_LOG_SIZE = 1000;

interface Buffer_ {
  stream: DeliveryStream;
  key: string;
  chunks: Buffer[];
  /** Where each chunk sits in the write-ahead log (undefined without a log). */
  refs: Array<WalRef | undefined>;
  bytes: number;
  timer: NodeJS.Timeout;
}

export interface WrittenObject {
  stream: string;
  key: string;
  records: number;
  bytes: number;
}

export interface LakeWriterOptions {
  /** fdatasync each object before its rename, so a log segment is never deleted before its records are on disk. */
  fsync?: boolean;
  /** Called with an object's key and its records' log positions after it is written, before its rename. */
  intend?: (key: string, refs: WalRef[]) => void;
  /** Called with the log positions of the records of each object once it is in place. */
  delivered?: (refs: WalRef[]) => void;
}

export class LakeWriter {
  private readonly buffers = new Map<string, Buffer_>();
  private readonly writing = new Set<Promise<void>>();
  private readonly written: WrittenObject[] = [];

  constructor(
    private readonly lakeDir: string,
    private readonly options: LakeWriterOptions = {},
  ) {}

  /** Routes one accepted record into its buffer; never throws for bad record content. */
  accept(stream: DeliveryStream, data: Buffer, arrival = new Date(), ref?: WalRef): void {
    const record = stream.appendDelimiter ? Buffer.concat([data, Buffer.from('\n')]) : data;
    let prefix: string;
    try {
      const partitionKeys = stream.extractPartitionKeys?.(JSON.parse(data.toString('utf8')));
      prefix = renderPrefix(stream.prefix, { arrival, partitionKeys });
      if (!this.insideLake(prefix)) throw new PartitioningError(`the prefix ${JSON.stringify(prefix)} leaves the bucket`);
    } catch (err) {
      this.acceptError(stream, data, arrival, err, ref);
      return;
    }
    this.append(stream, prefix, record, ref);
  }

  /** Writes every buffer now and waits for all writes; used by close and by tests. */
  async flushAll(): Promise<WrittenObject[]> {
    for (const buffer of [...this.buffers.values()]) this.flush(buffer);
    while (this.writing.size) await Promise.all([...this.writing]);
    return [...this.written];
  }

  private acceptError(stream: DeliveryStream, data: Buffer, arrival: Date, err: unknown, ref: WalRef | undefined): void {
    const reason = err instanceof SyntaxError ? `Non JSON record provided: ${err.message}` : err instanceof Error ? err.message : String(err);
    const wrapped = {
      attemptsMade: 1,
      arrivalTimestamp: arrival.getTime(),
      errorCode: 'DynamicPartitioning.MetadataExtractionFailed',
      errorMessage: reason,
      attemptEndingTimestamp: Date.now(),
      rawData: data.toString('base64'),
    };
    const prefix = renderPrefix(stream.errorPrefix, { arrival, errorOutputType: 'partitioning-failed' });
    this.append(stream, prefix, Buffer.from(`${JSON.stringify(wrapped)}\n`), ref);
  }

  private append(stream: DeliveryStream, prefix: string, record: Buffer, ref: WalRef | undefined): void {
    const id = `${stream.name}\u0000${prefix}`;
    let buffer = this.buffers.get(id);
    if (!buffer) {
      const timer = setTimeout(() => this.flush(this.buffers.get(id)), stream.bufferIntervalMs);
      timer.unref();
      buffer = { stream, key: prefix, chunks: [], refs: [], bytes: 0, timer };
      this.buffers.set(id, buffer);
    }
    buffer.chunks.push(record);
    buffer.refs.push(ref);
    buffer.bytes += record.length;
    if (buffer.bytes >= stream.bufferBytes) this.flush(buffer);
  }

  private flush(buffer: Buffer_ | undefined): void {
    if (!buffer) return;
    clearTimeout(buffer.timer);
    this.buffers.delete(`${buffer.stream.name}\u0000${buffer.key}`);
    const key = `${buffer.key}${objectName(buffer.stream, new Date())}`;
    const refs = buffer.refs.filter((r): r is WalRef => r !== undefined);
    const write = this.writeObject(key, Buffer.concat(buffer.chunks), refs)
      .then(() => {
        this.written.push({ stream: buffer.stream.name, key, records: buffer.chunks.length, bytes: buffer.bytes });
        if (this.written.length > WRITTEN_LOG_SIZE) this.written.shift();
        if (refs.length) this.options.delivered?.(refs);
      })
      .catch((err: unknown) => {
        // Keep the records: they go back into a buffer and are written again on its next flush.
        console.error(JSON.stringify({ msg: 'firehose object write failed, records kept for retry', key, error: String(err) }));
        buffer.chunks.forEach((chunk, i) => this.append(buffer.stream, buffer.key, chunk, buffer.refs[i]));
      })
      .finally(() => this.writing.delete(write));
    this.writing.add(write);
  }

  private async writeObject(key: string, body: Buffer, refs: WalRef[]): Promise<void> {
    const path = join(this.lakeDir, key);
    await mkdir(dirname(path), { recursive: true });
    const partial = join(dirname(path), `.${randomUUID()}.partial`);
    if (this.options.fsync) {
      const handle = await open(partial, 'w');
      try {
        await handle.writeFile(body);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } else {
      await writeFile(partial, body);
    }
    // The note comes first: after a crash, an object that exists proves its records delivered and
    // a note without its object means they are not (firehose-wal.ts).
    if (refs.length) this.options.intend?.(key, refs);
    await rename(partial, path);
    if (this.options.fsync) {
      // The rename is durable only once its folder is synced; the log segment may go after that.
      const folder = await open(dirname(path), 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
    }
  }

  private insideLake(prefix: string): boolean {
    const root = resolve(this.lakeDir);
    return resolve(root, `${prefix}x`).startsWith(root + sep);
  }
}

/** `<stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>`, Firehose's S3 object name. */
function objectName(stream: DeliveryStream, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[T:]/g, '-');
  return `${stream.name}-1-${stamp}-${randomUUID()}${stream.fileExtension}`;
}
