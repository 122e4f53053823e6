import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { createClient, sendInBatches } from '@plant/aws';
import { AwsLimits, type AwsConnection } from '@plant/config';
import type { FailedRecord, OutgoingRecord, PutOutcome, RecordSink } from './record-sink';

/** PutRecords: 500 records and 5 MiB per request, 1 MiB per record including its partition key (AwsLimits.kinesis). */
export const PUT_RECORDS_MAX_RECORDS = AwsLimits.kinesis.putRecordsMaxRecords;

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
    const tooLarge: FailedRecord[] = [];
    const sendable: OutgoingRecord[] = [];
    for (const record of records) {
      const size = sizeOf(record);
      if (size > AwsLimits.kinesis.recordMaxBytes) tooLarge.push({ record, errorCode: 'RecordTooLarge', errorMessage: `record is ${size} bytes, Kinesis takes at most 1 MiB` });
      else sendable.push(record);
    }
    let sent = 0;
    const report = await sendInBatches({
      items: sendable,
      limits: { maxEntries: PUT_RECORDS_MAX_RECORDS, maxBytes: AwsLimits.kinesis.putRecordsMaxBytes },
      sizeOf,
      // As many calls in flight as the client has sockets.
      concurrency: this.options.maxSockets ?? 16,
      send: async (batch) => {
        const response = await this.client.send(new PutRecordsCommand({ StreamName: this.options.streamName, Records: batch.map(toEntry) }));
        return batch.map((_, i) => {
          const entry = response.Records?.[i];
          return entry?.ErrorCode ? { code: entry.ErrorCode, message: entry.ErrorMessage ?? '' } : undefined;
        });
      },
      onAccepted: (accepted) => (sent += accepted.length),
      failureOfCallError: (err) => ({ code: errorName(err), message: errorMessage(err), retryable: isRetryable(err) }),
      // Jitter to 50–100 % of base × 2^(n-1): p-retry's randomize draws minTimeout × [1, 2).
      retry: { attempts: this.maxAttempts, minDelayMs: this.baseBackoffMs / 2, maxDelayMs: this.maxBackoffMs },
    });
    const failed = report.failed.map(({ item, failure }) => ({ record: item, errorCode: failure.code, errorMessage: failure.message ?? '' }));
    return { sent, failed: [...tooLarge, ...failed], retried: report.retried, calls: report.calls };
  }

  close(): void {
    this.client.destroy();
  }
}

const sizeOf = (record: OutgoingRecord) => record.data.byteLength + Buffer.byteLength(record.partitionKey);

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
