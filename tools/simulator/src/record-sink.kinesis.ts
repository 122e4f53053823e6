import { KinesisClient, PutRecordsCommand, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import type { AwsConnection } from '@plant/config';
import type { FailedRecord, OutgoingRecord, PutOutcome, RecordSink } from './record-sink';

/**
 * PutRecords limits: 500 records and 5 MiB per request, 1 MiB per record including its partition key.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
 */
export const PUT_RECORDS_MAX_RECORDS = 500;
const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;
const RECORD_MAX_BYTES = 1024 * 1024;

export interface KinesisPublisherOptions {
  streamName: string;
  /** Attempts per record, the first included. Default 8. */
  maxAttempts?: number;
  /** First backoff; doubled per attempt, capped at maxBackoffMs, then jittered to 50-100 % of that. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Sockets of the client; at least the number of calls kept in flight. */
  maxSockets?: number;
}

/** Call-level errors worth another attempt (throttling, service or network trouble); others fail the records at once. */
const RETRYABLE_CALL_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ThrottlingException',
  'InternalFailure',
  'ServiceUnavailable',
  'KMSThrottlingException',
]);

/**
 * Publishes records to a Kinesis stream with PutRecords. A PutRecords response can accept some
 * entries and refuse others (FailedRecordCount > 0, ErrorCode per entry, typically throughput
 * exceeded); only the refused entries are sent again, after exponential backoff with jitter.
 */
export class KinesisPublisher implements RecordSink {
  private readonly client: KinesisClient;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    connection: AwsConnection,
    private readonly options: KinesisPublisherOptions,
    client?: KinesisClient,
  ) {
    this.client = client ?? createClient(KinesisClient, connection, { maxSockets: options.maxSockets ?? 16 });
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseBackoffMs = options.baseBackoffMs ?? 50;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  async put(records: readonly OutgoingRecord[]): Promise<PutOutcome> {
    const outcome: PutOutcome = { sent: 0, failed: [], retried: 0, calls: 0 };
    const sendable: OutgoingRecord[] = [];
    for (const record of records) {
      const size = record.data.byteLength + Buffer.byteLength(record.partitionKey);
      if (size > RECORD_MAX_BYTES) outcome.failed.push({ record, errorCode: 'RecordTooLarge', errorMessage: `record is ${size} bytes, Kinesis takes at most 1 MiB` });
      else sendable.push(record);
    }
    await Promise.all(chunk(sendable).map((part) => this.putChunk(part, outcome)));
    return outcome;
  }

  close(): void {
    this.client.destroy();
  }

  private async putChunk(records: OutgoingRecord[], outcome: PutOutcome): Promise<void> {
    let pending = records;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        outcome.retried += pending.length;
        await sleep(this.backoffMs(attempt - 1));
      }
      const last = attempt >= this.maxAttempts;
      outcome.calls++;
      let response;
      try {
        response = await this.client.send(new PutRecordsCommand({ StreamName: this.options.streamName, Records: pending.map(toEntry) }));
      } catch (err) {
        const code = errorName(err);
        if (last || !isRetryable(err)) {
          outcome.failed.push(...pending.map((record) => ({ record, errorCode: code, errorMessage: errorMessage(err) })));
          return;
        }
        continue;
      }
      const refused: FailedRecord[] = [];
      (response.Records ?? []).forEach((entry, i) => {
        if (entry.ErrorCode) refused.push({ record: pending[i], errorCode: entry.ErrorCode, errorMessage: entry.ErrorMessage ?? '' });
      });
      outcome.sent += pending.length - refused.length;
      if (refused.length === 0) return;
      if (last) {
        outcome.failed.push(...refused);
        return;
      }
      pending = refused.map((f) => f.record);
    }
  }

  private backoffMs(retry: number): number {
    const ceiling = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** (retry - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}

/** Splits into PutRecords-sized requests (≤ 500 records, ≤ 5 MiB). */
function chunk(records: OutgoingRecord[]): OutgoingRecord[][] {
  const parts: OutgoingRecord[][] = [];
  let current: OutgoingRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = record.data.byteLength + Buffer.byteLength(record.partitionKey);
    if (current.length === PUT_RECORDS_MAX_RECORDS || bytes + size > PUT_RECORDS_MAX_BYTES) {
      parts.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length) parts.push(current);
  return parts;
}

function toEntry(record: OutgoingRecord): PutRecordsRequestEntry {
  return { PartitionKey: record.partitionKey, Data: record.data };
}

function isRetryable(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number }; code?: string };
  const status = e.$metadata?.httpStatusCode;
  return RETRYABLE_CALL_ERRORS.has(e.name ?? '') || !!e.$retryable || (status !== undefined && status >= 500) || (status === undefined && !!e.code);
}

function errorName(err: unknown): string {
  return (err as { name?: string }).name ?? 'Error';
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
