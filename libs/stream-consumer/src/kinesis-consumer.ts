import { Logger, type LoggerService } from '@nestjs/common';
import type { HealthCheck, MetricsRegistry } from '@plant/observability';
import { ConsumerMetrics } from './consumer-metrics';
import type { HeldLease } from './held-lease';
import { errorText, LeaseCoordinator } from './lease-coordinator';
import type { LeaseTable } from './lease-table';
import type { RecordProcessor } from './record-processor';
import { RecordBudget } from './record-budget';
import { ShardConsumer, type ShardConsumerExit } from './shard-consumer';
import type { ShardSource } from './shard-source';
import { blockedReason, type ShardStatus } from './shard-status';

export interface ConsumerSettings {
  /** Unique per running worker; the owner name written into leases. */
  workerId: string;
  /** A lease not renewed for this long may be taken by another worker. */
  leaseDurationMs: number;
  /** How often ListShards runs to find new shards (also right after a shard is finished). */
  shardSyncIntervalMs: number;
  /** Delay between reads of a caught-up shard; empty reads back off up to maxIdleDelayMs. */
  pollIntervalMs: number;
  maxIdleDelayMs: number;
  /** GetRecords Limit (Kinesis allows up to 10,000). */
  maxRecordsPerGet: number;
  /** Records read but not yet acknowledged, over all shards of this worker. */
  maxRecordsInFlight: number;
  /** How long a graceful stop waits for batches in the processor before giving up on them. */
  shutdownTimeoutMs: number;
  /** Retry delays of a batch the processor rejected (doubling from base, capped). */
  retryBaseMs: number;
  maxRetryDelayMs: number;
  /** Attempts of a whole batch failing for a record reason before it is bisected (docs/stream-consumer.md). */
  maxAttempts: number;
}

export interface ConsumerDeps {
  leaseTable: LeaseTable;
  source: ShardSource;
  processor: RecordProcessor;
  metrics: MetricsRegistry;
  logger?: LoggerService;
}

/**
 * A worker of the stream consumer, behaving like a KCL worker: it shares the stream's shards with
 * the other workers through the lease table, runs one polling loop per owned shard, hands batches
 * to the RecordProcessor and checkpoints what was acknowledged (at-least-once, in order per shard).
 */
export class KinesisConsumer {
  private readonly coordinator: LeaseCoordinator;
  private readonly budget: RecordBudget;
  private readonly metrics: ConsumerMetrics;
  private readonly logger: LoggerService;
  private readonly consumers = new Map<string, { consumer: ShardConsumer; held: HeldLease; done: Promise<void> }>();
  private state: 'new' | 'running' | 'stopping' | 'halting' | 'stopped' = 'new';

  constructor(
    readonly settings: ConsumerSettings,
    private readonly deps: ConsumerDeps,
  ) {
    this.logger = deps.logger ?? new Logger(KinesisConsumer.name);
    this.metrics = new ConsumerMetrics(deps.metrics, () => this.shardStatuses());
    this.budget = new RecordBudget(settings.maxRecordsInFlight, (n) => this.metrics.setRecordsInFlight(n));
    this.coordinator = new LeaseCoordinator(
      settings,
      deps.leaseTable,
      deps.source,
      { leaseAcquired: (held) => this.startShard(held), leaseLost: () => this.metrics.leaseEvent('lost') },
      this.logger,
    );
  }

  get workerId(): string {
    return this.settings.workerId;
  }

  /** Shards whose polling loop runs in this worker now. */
  heldShardIds(): string[] {
    return [...this.consumers.values()].filter((c) => c.held.state === 'held').map((c) => c.held.shardId).sort();
  }

  /** Delivery state of every shard this worker runs now. */
  shardStatuses(): ShardStatus[] {
    return [...this.consumers.values()].map((c) => c.consumer.status);
  }

  get recordsInFlight(): number {
    return this.budget.inFlight;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`consumer ${this.workerId} was already started`);
    this.state = 'running';
    this.logger.log({ msg: 'stream consumer starting', workerId: this.workerId, stream: this.deps.source.streamName });
    await this.coordinator.start();
  }

  /**
   * Graceful stop: no new leases, no new reads; batches in the processor finish and are
   * checkpointed; then every lease is released (owner cleared) so other workers take them at once.
   * A batch still in the processor after shutdownTimeoutMs is abandoned unacknowledged and its
   * lease left to expire, so no other worker reads the shard while it may still be processed.
   */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    await this.coordinator.stopTaking();
    for (const { consumer } of this.consumers.values()) consumer.requestStop();
    const finished = await settleWithin([...this.consumers.values()].map((c) => c.done), this.settings.shutdownTimeoutMs);
    if (!finished) {
      this.logger.warn({ msg: 'batches still in the processor at shutdown; their leases will expire', shards: this.heldShardIds() });
      for (const { consumer } of this.consumers.values()) consumer.halt();
    }
    await this.coordinator.stopRenewing();
    this.state = 'stopped';
    this.logger.log({ msg: 'stream consumer stopped', workerId: this.workerId });
  }

  /**
   * What a crash looks like to the other workers: every timer and loop stops, nothing more is
   * checkpointed or released, and the leases stay owned until they expire.
   */
  async halt(): Promise<void> {
    this.state = 'halting';
    await Promise.all([this.coordinator.stopTaking(), this.coordinator.stopRenewing()]);
    for (const { consumer } of this.consumers.values()) consumer.halt();
    await Promise.allSettled([...this.consumers.values()].map((c) => c.done));
    this.state = 'stopped';
  }

  /**
   * Readiness of the consumer itself: running, the lease table was scanned recently, and no shard is
   * bisecting or stuck in retries (the reason names the shard, how long, and the last failure).
   */
  healthCheck(): HealthCheck {
    return {
      name: 'stream-consumer',
      check: async () => {
        if (this.state !== 'running') throw new Error(`consumer is ${this.state}`);
        const scannedAt = this.coordinator.lastTableScanAt;
        const maxAge = 2 * this.settings.leaseDurationMs;
        if (scannedAt === undefined || Date.now() - scannedAt > maxAge) {
          throw new Error(`lease table not scanned successfully for more than ${maxAge} ms`);
        }
        const now = Date.now();
        const blocked = this.shardStatuses()
          .map((s) => blockedReason(s, this.settings.maxAttempts, now))
          .filter((r): r is string => r !== undefined);
        if (blocked.length) throw new Error(blocked.join(' | '));
      },
    };
  }

  private startShard(held: HeldLease): void {
    const consumer = new ShardConsumer(
      { lease: held, source: this.deps.source, processor: this.deps.processor, budget: this.budget, metrics: this.metrics, logger: this.logger },
      this.settings,
    );
    const done = consumer
      .run()
      .then((exit) => this.shardEnded(held, exit))
      .catch((err: unknown) => {
        // The lease stays ours in the table without renewal; our own taker picks it up again.
        this.logger.error({ msg: 'shard consumer crashed', shardId: held.shardId, error: errorText(err) });
        held.markLost();
      })
      .finally(() => {
        this.coordinator.forget(held);
        if (this.consumers.get(held.leaseKey)?.consumer === consumer) this.consumers.delete(held.leaseKey);
        this.metrics.setLeasesHeld(this.consumers.size);
      });
    this.consumers.set(held.leaseKey, { consumer, held, done });
    // A lease taken by a taker run that was already under way when stop or halt began.
    if (this.state === 'stopping') consumer.requestStop();
    if (this.state === 'halting') consumer.halt();
    this.metrics.leaseEvent('acquired');
    this.metrics.setLeasesHeld(this.consumers.size);
  }

  private async shardEnded(held: HeldLease, exit: ShardConsumerExit): Promise<void> {
    switch (exit) {
      case 'shard-end':
        this.metrics.leaseEvent('finished');
        this.coordinator.shardFinished();
        return;
      case 'stopped':
        try {
          await held.release();
          this.metrics.leaseEvent('released');
          this.logger.log({ msg: 'lease released', shardId: held.shardId, checkpoint: held.lease.checkpoint });
        } catch (err) {
          this.logger.warn({ msg: 'lease release failed; it will expire', shardId: held.shardId, error: errorText(err) });
        }
        return;
      case 'lease-lost':
      case 'halted':
        return;
    }
  }
}

async function settleWithin(promises: Promise<unknown>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const all = Promise.allSettled(promises).then(() => true as const);
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
