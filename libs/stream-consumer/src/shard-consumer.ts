import type { LoggerService } from '@nestjs/common';
import { BatchDelivery, type DeliverySettings } from './batch-delivery';
import type { ConsumerMetrics } from './consumer-metrics';
import type { HeldLease } from './held-lease';
import { SHARD_END, TRIM_HORIZON } from './lease';
import { errorText } from './lease-coordinator';
import { LeaseLostError } from './lease-table';
import { PollPacer, type PacerSettings } from './poll-pacer';
import type { ConsumedRecord, RecordProcessor } from './record-processor';
import { BudgetWaitAborted, type RecordBudget } from './record-budget';
import { newShardStatus, type ShardStatus } from './shard-status';
import { IteratorExpiredError, ReadThrottledError, type FetchedRecord, type ShardSource, type StartPosition } from './shard-source';

export interface ShardConsumerSettings extends PacerSettings, DeliverySettings {
  maxRecordsPerGet: number;
}

/** Why a shard consumer ended. */
export type ShardConsumerExit = 'shard-end' | 'lease-lost' | 'stopped' | 'halted';

export interface ShardConsumerDeps {
  lease: HeldLease;
  source: ShardSource;
  processor: RecordProcessor;
  budget: RecordBudget;
  metrics: ConsumerMetrics;
  logger: LoggerService;
}

/**
 * The polling loop of one owned shard: get an iterator from the checkpoint, read a page, hand it to
 * the processor (one batch at a time through BatchDelivery: retried, bisected when records fail,
 * checkpointed part by part), repeat; at the end of a closed shard checkpoint SHARD_END and release the lease.
 * It never checkpoints a batch the processor did not acknowledge, and stops at once when the lease
 * is lost (the processor call in progress finishes, but nothing is checkpointed after it).
 */
export class ShardConsumer {
  private readonly pacer: PollPacer;
  private stopRequested = false;
  private halted = false;
  private readonly stopController = new AbortController();
  private readonly signal: AbortSignal;
  private lastAcknowledged: string;
  private readonly delivery: BatchDelivery;
  /** Read by the worker's health check and metrics. */
  readonly status: ShardStatus;

  constructor(
    private readonly deps: ShardConsumerDeps,
    private readonly settings: ShardConsumerSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.pacer = new PollPacer(settings);
    this.signal = AbortSignal.any([deps.lease.signal, this.stopController.signal]);
    this.lastAcknowledged = deps.lease.lease.checkpoint;
    this.status = newShardStatus(deps.lease.shardId);
    this.delivery = new BatchDelivery(settings, {
      shardId: deps.lease.shardId,
      processor: deps.processor,
      metrics: deps.metrics,
      logger: deps.logger,
      status: this.status,
      checkpoint: (sequenceNumber) => this.checkpoint(sequenceNumber),
      mustExit: () => this.exitReason() !== undefined,
      sleep: (ms) => this.sleep(ms),
      now: this.now,
    });
  }

  get shardId(): string {
    return this.deps.lease.shardId;
  }

  /** Graceful: finish (and checkpoint) the batch in progress, then exit without reading more. */
  requestStop(): void {
    this.stopRequested = true;
    this.stopController.abort();
  }

  /** Crash-like: exit at the next step, no checkpoint and no release. */
  halt(): void {
    this.halted = true;
    this.requestStop();
  }

  async run(): Promise<ShardConsumerExit> {
    const { lease, logger } = this.deps;
    try {
      if (lease.lease.checkpoint === SHARD_END) return await this.finishShard();
      let iterator: string | undefined = await this.iteratorFromCheckpoint();
      while (iterator) {
        const exit = this.exitReason();
        if (exit) return exit;
        await this.sleep(this.pacer.delayBefore(this.now()));
        if (this.exitReason()) continue;
        const page = await this.read(iterator);
        if (page === 'expired') {
          iterator = await this.iteratorFromCheckpoint();
          continue;
        }
        if (!page) continue;
        if (page.records.length > 0 && !(await this.deliver(page.records, page.reservation))) continue;
        iterator = page.nextIterator;
      }
      return await this.finishShard();
    } catch (err) {
      if (err instanceof LeaseLostError || err instanceof BudgetWaitAborted || this.signal.aborted) {
        return this.exitReason() ?? 'lease-lost';
      }
      logger.error({ msg: 'shard consumer failed', shardId: this.shardId, error: errorText(err) });
      throw err;
    }
  }

  private exitReason(): ShardConsumerExit | undefined {
    if (this.halted) return 'halted';
    if (this.deps.lease.state !== 'held') return 'lease-lost';
    if (this.stopRequested) return 'stopped';
    return undefined;
  }

  private async iteratorFromCheckpoint(): Promise<string> {
    const checkpoint = this.lastAcknowledged;
    const position: StartPosition =
      checkpoint === TRIM_HORIZON ? { type: 'TRIM_HORIZON' } : { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint };
    for (;;) {
      try {
        return await this.deps.source.getIterator(this.shardId, position);
      } catch (err) {
        if (this.exitReason()) throw err;
        const delay = this.pacer.readFailed(this.now());
        this.deps.logger.warn({ msg: 'GetShardIterator failed, retrying', shardId: this.shardId, delayMs: delay, error: errorText(err) });
        await this.sleep(delay);
      }
    }
  }

  /** One GetRecords call within the record budget; undefined after a throttled or failed call. */
  private async read(iterator: string) {
    const { budget, metrics, source, logger } = this.deps;
    const reservation = await budget.acquire(this.settings.maxRecordsPerGet, this.signal);
    const startedAt = this.now();
    this.pacer.callStarted(startedAt);
    try {
      const page = await source.getRecords(iterator, reservation);
      budget.release(reservation - page.records.length);
      this.pacer.readSucceeded(this.now(), page.records.length, reservation, page.millisBehindLatest);
      metrics.readCompleted(this.shardId, page.millisBehindLatest);
      this.status.millisBehindLatest = page.millisBehindLatest;
      return { ...page, reservation: page.records.length };
    } catch (err) {
      budget.release(reservation);
      if (err instanceof IteratorExpiredError) {
        logger.warn({ msg: 'shard iterator expired, re-reading from the checkpoint', shardId: this.shardId });
        return 'expired' as const;
      }
      const delay = this.pacer.readFailed(this.now());
      if (err instanceof ReadThrottledError) {
        metrics.readThrottled(this.shardId);
        logger.warn({ msg: 'GetRecords throttled, backing off', shardId: this.shardId, delayMs: delay });
      } else {
        logger.warn({ msg: 'GetRecords failed, backing off', shardId: this.shardId, delayMs: delay, error: errorText(err) });
      }
      return undefined;
    }
  }

  /**
   * Hands the batch to BatchDelivery (acknowledged or isolated record by record, checkpointed as it
   * goes). Returns false when the consumer must exit first (lease lost, stop or halt): what was not
   * checkpointed stays unacknowledged and is read again by whoever owns the shard next.
   */
  private async deliver(fetched: FetchedRecord[], reserved: number): Promise<boolean> {
    const records: ConsumedRecord[] = fetched.map((r) => ({ shardId: this.shardId, ...r }));
    try {
      if (this.exitReason()) return false;
      return await this.delivery.deliver(records);
    } finally {
      this.deps.budget.release(reserved);
    }
  }

  private async checkpoint(sequenceNumber: string): Promise<boolean> {
    // A halt is a simulated crash: what has not been checkpointed yet stays unacknowledged.
    if (this.halted) return false;
    await this.writeLease(() => this.deps.lease.checkpoint(sequenceNumber), 'checkpoint');
    this.lastAcknowledged = sequenceNumber;
    this.deps.metrics.checkpointed(this.shardId);
    return true;
  }

  private async finishShard(): Promise<ShardConsumerExit> {
    const exit = this.exitReason();
    if (exit) return exit;
    await this.writeLease(() => this.deps.lease.release(SHARD_END), 'shard end checkpoint');
    this.deps.logger.log({ msg: 'shard finished', shardId: this.shardId });
    return 'shard-end';
  }

  /**
   * A lease write that failed for a transient reason (network, throttling) is retried: the
   * renewer declares the lease lost if no write succeeds for a lease duration, which ends this.
   */
  private async writeLease(write: () => Promise<void>, what: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (err instanceof LeaseLostError || this.halted || this.deps.lease.state !== 'held') throw err;
        const delay = Math.min(this.settings.retryBaseMs * 2 ** (attempt - 1), this.settings.maxRetryDelayMs);
        this.deps.logger.warn({ msg: `${what} failed, retrying`, shardId: this.shardId, attempt, delayMs: delay, error: errorText(err) });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Sleeps unless the consumer is told to stop; a stop (or lost lease) ends the sleep at once. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.signal.aborted) return Promise.resolve();
    const signal = this.signal;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
