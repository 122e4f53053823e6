import type { LoggerService } from '@nestjs/common';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import type { LocalAwsStack } from '@plant/local-aws';
import { MetricsRegistry } from '@plant/observability';
import { DynamoDbLeaseTable, KinesisShardSource } from '@plant/adapters';
import {
  type ConsumedRecord,
  type ConsumerSettings,
  IteratorExpiredError,
  KinesisConsumer,
  type Lease,
  ReadThrottledError,
  type RecordProcessor,
  type RecordsPage,
  type ShardSource,
  type StartPosition,
} from '@plant/stream-consumer';

/** Settings that keep integration tests fast: 1 s leases, tight idle polling. */
export const FAST_SETTINGS: Omit<ConsumerSettings, 'workerId'> = {
  leaseDurationMs: 1_000,
  shardSyncIntervalMs: 500,
  pollIntervalMs: 50,
  maxIdleDelayMs: 200,
  maxRecordsPerGet: 100,
  maxRecordsInFlight: 1_000,
  shutdownTimeoutMs: 5_000,
  retryBaseMs: 50,
  maxRetryDelayMs: 200,
  maxAttempts: 2,
};

export interface DeliveredBatch {
  shardId: string;
  sequenceNumbers: string[];
  payloads: string[];
  attempt: number;
  at: number;
}

/**
 * A real RecordProcessor for tests: it records every batch it is given (rejected ones too) and can
 * be told to reject or to hold batches, which is what the router does when a sink fails or is slow.
 */
export class RecordingProcessor implements RecordProcessor {
  readonly batches: DeliveredBatch[] = [];
  readonly acknowledged: DeliveredBatch[] = [];
  /** Returns a reason to reject this attempt, or undefined to acknowledge it. */
  rejectWhen?: (batch: DeliveredBatch) => string | undefined;
  holdMs = 0;
  private readonly attempts = new Map<string, number>();
  private busyPerShard = new Map<string, number>();
  busyRecords = 0;
  maxBusyRecords = 0;
  maxBusyPerShard = 0;

  async process(shardId: string, records: readonly ConsumedRecord[]): Promise<void> {
    const first = records[0].sequenceNumber;
    const attempt = (this.attempts.get(first) ?? 0) + 1;
    this.attempts.set(first, attempt);
    const batch: DeliveredBatch = {
      shardId,
      sequenceNumbers: records.map((r) => r.sequenceNumber),
      payloads: records.map((r) => Buffer.from(r.data).toString()),
      attempt,
      at: Date.now(),
    };
    this.batches.push(batch);
    this.busyPerShard.set(shardId, (this.busyPerShard.get(shardId) ?? 0) + 1);
    this.busyRecords += records.length;
    this.maxBusyRecords = Math.max(this.maxBusyRecords, this.busyRecords);
    this.maxBusyPerShard = Math.max(this.maxBusyPerShard, this.busyPerShard.get(shardId)!);
    try {
      if (this.holdMs > 0) await new Promise((r) => setTimeout(r, this.holdMs));
      const reason = this.rejectWhen?.(batch);
      if (reason) throw new Error(reason);
      this.acknowledged.push(batch);
    } finally {
      this.busyPerShard.set(shardId, this.busyPerShard.get(shardId)! - 1);
      this.busyRecords -= records.length;
    }
  }

  /** Acknowledged sequence numbers of a shard, in the order they were acknowledged. */
  acknowledgedOf(shardId: string): string[] {
    return this.acknowledged.filter((b) => b.shardId === shardId).flatMap((b) => b.sequenceNumbers);
  }

  acknowledgedCount(): number {
    return this.acknowledged.reduce((n, b) => n + b.sequenceNumbers.length, 0);
  }
}

/** Logs warnings and errors into an array (asserted on by tests), drops the rest. */
export class CapturingLogger implements LoggerService {
  readonly warnings: unknown[] = [];
  log(): void {}
  warn(message: unknown): void {
    this.warnings.push(message);
  }
  error(message: unknown): void {
    this.warnings.push(message);
  }
}

/** Real SDK clients against the local stack, one stream per test so tests cannot disturb each other. */
export class ConsumerTestBed {
  readonly kinesis: KinesisClient;
  readonly dynamodb: DynamoDBClient;
  readonly leaseTable: DynamoDbLeaseTable;
  private readonly workers: KinesisConsumer[] = [];

  constructor(readonly stack: LocalAwsStack) {
    const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
    this.kinesis = createClient(KinesisClient, connection);
    this.dynamodb = createClient(DynamoDBClient, connection);
    this.leaseTable = new DynamoDbLeaseTable(this.dynamodb, ResourceNames.leaseTable);
  }

  async createStream(name: string, shards = 4): Promise<string> {
    await this.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    await waitFor(async () => {
      const s = await this.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      return s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
    }, 5_000);
    return name;
  }

  /** Puts `count` records over 40 partition keys; returns each shard's sequence numbers in order. */
  async put(stream: string, count: number, label = 'r', explicitHashKey?: string): Promise<Map<string, string[]>> {
    const byShard = new Map<string, string[]>();
    for (let start = 0; start < count; start += 500) {
      const n = Math.min(500, count - start);
      const out = await this.kinesis.send(
        new PutRecordsCommand({
          StreamName: stream,
          Records: Array.from({ length: n }, (_, i) => ({
            PartitionKey: `asset-${(start + i) % 40}`,
            ExplicitHashKey: explicitHashKey,
            Data: Buffer.from(`${label}-${start + i}`),
          })),
        }),
      );
      if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records were not put`);
      for (const r of out.Records ?? []) byShard.set(r.ShardId!, [...(byShard.get(r.ShardId!) ?? []), r.SequenceNumber!]);
    }
    return byShard;
  }

  worker(
    stream: string,
    workerId: string,
    processor: RecordProcessor,
    overrides: Partial<ConsumerSettings> = {},
    logger = new CapturingLogger(),
    wrapSource: (source: ShardSource) => ShardSource = (source) => source,
  ) {
    const worker = new KinesisConsumer(
      { ...FAST_SETTINGS, ...overrides, workerId },
      {
        leaseTable: this.leaseTable,
        source: wrapSource(new KinesisShardSource(this.kinesis, stream)),
        processor,
        metrics: new MetricsRegistry(),
        logger,
      },
    );
    this.workers.push(worker);
    return worker;
  }

  async leases(stream: string): Promise<Map<string, Lease>> {
    return new Map((await this.leaseTable.listLeases(stream)).map((l) => [l.shardId, l]));
  }

  /** Stops every worker a test left running (a halted one is already stopped). */
  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.halt()));
  }

  destroy(): void {
    this.kinesis.destroy();
    this.dynamodb.destroy();
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function total(byShard: Map<string, string[]>): number {
  return [...byShard.values()].reduce((n, s) => n + s.length, 0);
}

/** Keeps the first delivery of each sequence number, in delivery order. */
export function firstDeliveries(sequenceNumbers: string[]): string[] {
  return [...new Set(sequenceNumbers)];
}

/**
 * The real Kinesis source with faults injected into GetRecords, for the two conditions kinesalite
 * never produces: throttling (ProvisionedThroughputExceeded) and iterators older than 5 minutes.
 */
export class FaultInjectingSource implements ShardSource {
  readonly faults: Array<'throttle' | 'expire'> = [];
  readonly iteratorRequests: Array<{ shardId: string; position: StartPosition }> = [];

  constructor(private readonly inner: ShardSource) {}

  get streamName(): string {
    return this.inner.streamName;
  }

  listShards() {
    return this.inner.listShards();
  }

  getIterator(shardId: string, position: StartPosition): Promise<string> {
    this.iteratorRequests.push({ shardId, position });
    return this.inner.getIterator(shardId, position);
  }

  getRecords(iterator: string, limit: number): Promise<RecordsPage> {
    const fault = this.faults.shift();
    if (fault === 'throttle') return Promise.reject(new ReadThrottledError('Rate exceeded for shard'));
    if (fault === 'expire') return Promise.reject(new IteratorExpiredError('Iterator expired'));
    return this.inner.getRecords(iterator, limit);
  }
}
