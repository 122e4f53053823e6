import type { LoggerService } from '@nestjs/common';
import type { ConsumerMetrics } from './consumer-metrics';
import { errorText } from './lease-coordinator';
import type { ConsumedRecord, FailureClass, RecordProcessor } from './record-processor';
import type { ShardStatus } from './shard-status';

export interface DeliverySettings {
  /** Attempts of a whole batch that fails for a `record` reason before it is bisected. */
  maxAttempts: number;
  /** First delay before retrying a rejected batch; doubles up to maxRetryDelayMs. */
  retryBaseMs: number;
  maxRetryDelayMs: number;
}

export interface DeliveryHooks {
  shardId: string;
  processor: RecordProcessor;
  metrics: ConsumerMetrics;
  logger: LoggerService;
  status: ShardStatus;
  /** Checkpoints after the given record; false when the consumer must exit instead (halt). */
  checkpoint(sequenceNumber: string): Promise<boolean>;
  /** True when the consumer must exit (lease lost, stop, halt): the rest stays unacknowledged. */
  mustExit(): boolean;
  sleep(ms: number): Promise<void>;
  now(): number;
}

interface Failure {
  error: unknown;
  class: FailureClass;
}

/** Delay before retry number `attempt` (1-based): base doubling, capped. */
export function retryDelayMs(settings: DeliverySettings, attempt: number): number {
  return Math.min(settings.retryBaseMs * 2 ** (attempt - 1), settings.maxRetryDelayMs);
}

/**
 * The longest `poisonRecords` records that fail for a `record` reason can hold a batch of
 * `batchSize` records (hence their shard), when no step — one processor call, checkpoint write or
 * isolation write — takes longer than `stepMs` and no transient failure happens meanwhile (those
 * wait as long as the backend needs, and `/health` says so):
 *
 *   Σ backoff between the whole batch's attempts
 *   + (maxAttempts + poisonRecords × (3 × ⌈log2 batchSize⌉ + 2)) × stepMs
 *
 * Per poison record and level of bisection: its part and the sibling part are delivered (2 calls)
 * and the sibling checkpointed (1 write); at the bottom the record is isolated and checkpointed.
 */
export function poisonHoldBoundMs(settings: DeliverySettings, batchSize: number, stepMs: number, poisonRecords = 1): number {
  let backoff = 0;
  for (let attempt = 1; attempt < settings.maxAttempts; attempt++) backoff += retryDelayMs(settings, attempt);
  const depth = Math.ceil(Math.log2(Math.max(1, batchSize)));
  return backoff + (settings.maxAttempts + poisonRecords * (3 * depth + 2)) * stepMs;
}

/**
 * Delivers one batch of a shard to the processor until every record of it is either acknowledged
 * or isolated, in sequence order, checkpointing as it goes (the KCL/Lambda "bisect batch on
 * function error" idea):
 *
 * - a `transient` failure retries the same records with backoff, without limit and without ever
 *   isolating anything (the shard waits; `/health` says why);
 * - after `maxAttempts` `record` failures of the whole batch it is split in halves, which are
 *   delivered in order (each once; a half that fails for a `record` reason is split again), and a
 *   single record that fails alone is handed to `processor.isolate` (dead letter) and passed;
 * - every acknowledged part is checkpointed before the next one is delivered, so the parts of a
 *   shard are applied in order and a crash resumes after the last one.
 */
export class BatchDelivery {
  private batch: readonly ConsumedRecord[] = [];

  constructor(
    private readonly settings: DeliverySettings,
    private readonly hooks: DeliveryHooks,
  ) {}

  /** False when the consumer must exit first: what is not checkpointed stays unacknowledged. */
  async deliver(records: readonly ConsumedRecord[]): Promise<boolean> {
    const { status, mustExit, sleep } = this.hooks;
    this.batch = records;
    status.pendingRecords = records.length;
    status.oldestPendingArrivalMs = records[0].approximateArrivalTimestamp?.getTime();
    try {
      let recordFailures = 0;
      for (let attempt = 1; ; attempt++) {
        if (mustExit()) return false;
        const failure = await this.attempt(records, attempt);
        if (!failure) return await this.checkpoint(records);
        if (failure.class === 'record' && this.hooks.processor.isolate) recordFailures++;
        if (recordFailures >= this.settings.maxAttempts) break;
        if (mustExit()) return false;
        await sleep(retryDelayMs(this.settings, attempt));
      }
      status.flow = 'bisecting';
      this.hooks.metrics.bisectionStarted(this.hooks.shardId);
      this.hooks.logger.warn({ msg: 'batch keeps failing for a record reason: bisecting it', shardId: this.hooks.shardId, records: records.length, firstSequenceNumber: records[0].sequenceNumber });
      return await this.bisect(records);
    } finally {
      if (status.blockedSinceMs !== undefined) this.hooks.metrics.batchUnblocked(this.hooks.shardId, (this.hooks.now() - status.blockedSinceMs) / 1000, status.flow === 'bisecting');
      Object.assign(status, { flow: 'flowing', blockedSinceMs: undefined, failures: 0, lastFailure: undefined, pendingRecords: 0, oldestPendingArrivalMs: undefined });
    }
  }

  private async bisect(records: readonly ConsumedRecord[]): Promise<boolean> {
    const middle = Math.ceil(records.length / 2);
    for (const part of [records.slice(0, middle), records.slice(middle)]) {
      if (!(await this.settle(part))) return false;
    }
    return true;
  }

  /** One part of a bisected batch: delivered once; split again or isolated on a `record` failure. */
  private async settle(part: readonly ConsumedRecord[]): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      if (this.hooks.mustExit()) return false;
      const failure = await this.attempt(part, attempt);
      if (!failure) return this.checkpoint(part);
      if (failure.class === 'record') return part.length > 1 ? this.bisect(part) : this.isolate(part[0], failure.error);
      if (this.hooks.mustExit()) return false;
      await this.hooks.sleep(retryDelayMs(this.settings, attempt));
    }
  }

  /** Stores a record that fails alone (dead letter); a failed store is retried like a transient failure. */
  private async isolate(record: ConsumedRecord, error: unknown): Promise<boolean> {
    const { processor, shardId, logger, metrics } = this.hooks;
    for (let attempt = 1; ; attempt++) {
      if (this.hooks.mustExit()) return false;
      try {
        await processor.isolate!(shardId, record, error);
        metrics.recordIsolated(shardId);
        logger.warn({ msg: 'record isolated and dead-lettered', shardId, sequenceNumber: record.sequenceNumber, error: errorText(error) });
        return await this.checkpoint([record]);
      } catch (err) {
        this.noteFailure(err, 'transient');
        logger.warn({ msg: 'storing an isolated record failed, retrying', shardId, sequenceNumber: record.sequenceNumber, attempt, error: errorText(err) });
        if (this.hooks.mustExit()) return false;
        await this.hooks.sleep(retryDelayMs(this.settings, attempt));
      }
    }
  }

  private async attempt(records: readonly ConsumedRecord[], attempt: number): Promise<Failure | undefined> {
    const { processor, shardId, metrics, logger, now } = this.hooks;
    const startedAt = now();
    try {
      await processor.process(shardId, records);
      metrics.batchAcknowledged(shardId, records.length, (now() - startedAt) / 1000, records[records.length - 1]);
      return undefined;
    } catch (error) {
      const failureClass = processor.classifyFailure?.(error) ?? 'transient';
      this.noteFailure(error, failureClass);
      metrics.batchRejected(shardId, failureClass);
      logger.warn({
        msg: 'processor rejected batch, retrying',
        shardId,
        firstSequenceNumber: records[0].sequenceNumber,
        records: records.length,
        attempt,
        failureClass,
        error: errorText(error),
      });
      return { error, class: failureClass };
    }
  }

  private noteFailure(error: unknown, failureClass: FailureClass): void {
    const { status, now } = this.hooks;
    status.blockedSinceMs ??= now();
    status.failures++;
    status.lastFailure = { class: failureClass, message: errorText(error).slice(0, 300) };
    if (status.flow === 'flowing') status.flow = 'retrying';
  }

  private async checkpoint(part: readonly ConsumedRecord[]): Promise<boolean> {
    const { status } = this.hooks;
    if (!(await this.hooks.checkpoint(part[part.length - 1].sequenceNumber))) return false;
    status.pendingRecords -= part.length;
    // Parts are checkpointed in order, so the oldest record still pending is the next one of the batch.
    status.oldestPendingArrivalMs = this.batch[this.batch.length - status.pendingRecords]?.approximateArrivalTimestamp?.getTime();
    return true;
  }
}
