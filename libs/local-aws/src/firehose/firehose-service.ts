import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsLimits } from '@plant/config';
import { AwsApiError, jsonProtocol } from '../aws-json-handler';
import type { ServiceRoute } from '../local-aws-stack';
import { ACCOUNT, BufferingLimits, CreateDeliveryStreamInput, DeliveryStream, deliveryStreamOf, describeShape, StoredDeliveryStream } from './delivery-stream';
import { FirehoseWal } from './firehose-wal';
import { LakeWriter } from './lake-writer';
import { FIREHOSE_SHAPES } from './firehose-shapes';

/**
 * Firehose (`Firehose_20150804.*`, JSON 1.1): DirectPut streams delivering to the lake folder.
 * Limits from https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html:
 * ≤ 500 records and ≤ 4 MiB per call, ≤ 1,000 KiB per record (before base64).
 */

export const MAX_BATCH_RECORDS = AwsLimits.firehose.putRecordBatchMaxRecords;
export const MAX_RECORD_BYTES = AwsLimits.firehose.recordMaxBytes;
export const MAX_BATCH_BYTES = AwsLimits.firehose.putRecordBatchMaxBytes;

export interface FirehoseOptions {
  dataDir?: string;
  lakeDir: string;
  buffering?: Partial<BufferingLimits>;
  /** With a data folder: fdatasync the write-ahead log before answering (default true). */
  fsync?: boolean;
}

interface WireRecord {
  Data?: string;
}

export function firehoseRoutes(options: FirehoseOptions): { api: ServiceRoute; inspection: ServiceRoute; writer: LakeWriter } {
  const limits: BufferingLimits = { maxBytes: 1024 * 1024, maxIntervalMs: 1000, ...options.buffering };
  const stateFile = options.dataDir && join(options.dataDir, 'firehose', 'delivery-streams.json');
  const streams = new Map<string, DeliveryStream>();
  if (stateFile && existsSync(stateFile)) {
    for (const stored of JSON.parse(readFileSync(stateFile, 'utf8')) as StoredDeliveryStream[]) {
      const stream = deliveryStreamOf(stored, limits);
      streams.set(stream.name, stream);
    }
  }
  const save = () => {
    if (!stateFile) return;
    mkdirSync(join(options.dataDir!, 'firehose'), { recursive: true });
    writeFileSync(`${stateFile}.tmp`, JSON.stringify([...streams.values()].map((s) => s.stored), null, 2));
    renameSync(`${stateFile}.tmp`, stateFile);
  };
  // With a data folder every acknowledged record is in the write-ahead log until its object is
  // written (firehose-wal.ts); in memory there is nothing to survive a restart anyway.
  const fsync = options.fsync ?? true;
  const opened = options.dataDir ? FirehoseWal.open(join(options.dataDir, 'firehose', 'wal'), fsync, (key) => existsSync(join(options.lakeDir, key))) : undefined;
  const wal = opened?.wal;
  const writer = new LakeWriter(options.lakeDir, {
    fsync: !!wal && fsync,
    intend: wal && ((key, refs) => wal.intend(key, refs)),
    delivered: wal && ((refs) => wal.delivered(refs)),
  });
  for (const entry of opened?.recovered ?? []) {
    const stream = streams.get(entry.stream);
    try {
      if (stream) for (const { data, ref } of entry.records) writer.accept(stream, data, entry.arrival, ref);
      else wal!.delivered(entry.records.map((r) => r.ref));
    } catch (err) {
      // Never expected (accept() routes bad content to the error prefix), but a log that cannot be
      // replayed must not keep the stack from starting: say so loudly, keep the segment on disk.
      console.error(JSON.stringify({ msg: 'firehose log entry could not be replayed', stream: entry.stream, error: String(err) }));
    }
  }
  /** On disk (when there is a log) before the caller answers; then into the buffers. */
  const accept = async (stream: DeliveryStream, data: Buffer[]) => {
    const arrival = new Date();
    const refs = wal ? await wal.append(stream.name, arrival, data) : undefined;
    data.forEach((d, i) => writer.accept(stream, d, arrival, refs?.[i]));
  };

  const requireStream = (name: string | undefined) => {
    const stream = streams.get(name ?? '');
    if (!stream) throw new AwsApiError('ResourceNotFoundException', `Firehose stream ${name} under account ${ACCOUNT} not found.`);
    return stream;
  };

  const operations = {
    CreateDeliveryStream: (input: CreateDeliveryStreamInput) => {
      const stream = deliveryStreamOf({ input, createdAt: Date.now() / 1000 }, limits);
      if (streams.has(stream.name)) {
        throw new AwsApiError('ResourceInUseException', `Firehose stream ${stream.name} under account ${ACCOUNT} already exists.`);
      }
      streams.set(stream.name, stream);
      save();
      return { DeliveryStreamARN: stream.arn };
    },
    DescribeDeliveryStream: (input: { DeliveryStreamName?: string }) => describeShape(requireStream(input.DeliveryStreamName)),
    ListDeliveryStreams: () => ({ DeliveryStreamNames: [...streams.keys()].sort(), HasMoreDeliveryStreams: false }),

    PutRecord: async (input: { DeliveryStreamName?: string; Record?: WireRecord }) => {
      const stream = requireStream(input.DeliveryStreamName);
      const data = decodeRecord(input.Record, 'record.data');
      await accept(stream, [data]);
      return { RecordId: recordId(), Encrypted: false };
    },
    PutRecordBatch: async (input: { DeliveryStreamName?: string; Records?: WireRecord[] }) => {
      const stream = requireStream(input.DeliveryStreamName);
      const records = input.Records ?? [];
      if (!Array.isArray(records)) {
        throw new AwsApiError('SerializationException', `Start of list found where not expected: 'records' must be a list`);
      }
      if (records.length < 1 || records.length > MAX_BATCH_RECORDS) {
        throw new AwsApiError(
          'ValidationException',
          `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length ${records.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_BATCH_RECORDS}`}`,
        );
      }
      const data = records.map((r, i) => decodeRecord(r, `records.${i + 1}.member.data`));
      const total = data.reduce((sum, d) => sum + d.length, 0);
      if (total > MAX_BATCH_BYTES) throw new AwsApiError('InvalidArgumentException', `Records size exceeds 4 MB limit (${total} bytes).`);
      await accept(stream, data);
      return { FailedPutCount: 0, Encrypted: false, RequestResponses: data.map(() => ({ RecordId: recordId() })) };
    },
  };

  const api: ServiceRoute = {
    name: 'firehose',
    targetPrefix: 'Firehose_20150804.',
    handler: jsonProtocol(operations, 'application/x-amz-json-1.1', FIREHOSE_SHAPES),
    close: async () => {
      await writer.flushAll();
      await wal?.close();
    },
  };
  // Not an AWS API: lets tests and tools force the buffers out instead of waiting for the interval.
  const inspection: ServiceRoute = {
    name: 'firehose-inspection',
    pathPrefix: '/_local/firehose/flush',
    handler: async (req, res) => {
      const objects = req.method === 'POST' ? await writer.flushAll() : undefined;
      const text = JSON.stringify(objects ? { lakeDir: options.lakeDir, objects } : { message: 'POST to flush every Firehose buffer' });
      res.writeHead(objects ? 200 : 405, { 'Content-Type': 'application/json' });
      res.end(text);
    },
  };
  return { api, inspection, writer };
}

function decodeRecord(record: WireRecord | undefined, field: string): Buffer {
  if (typeof record !== 'object' || record === null || typeof record.Data !== 'string') {
    throw new AwsApiError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  const data = Buffer.from(record.Data, 'base64');
  if (data.length > MAX_RECORD_BYTES) {
    throw new AwsApiError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES}`,
    );
  }
  return data;
}

/** Firehose record ids are opaque strings of about 200 characters; tests only need them unique. */
function recordId(): string {
  return randomBytes(84).toString('base64url');
}
