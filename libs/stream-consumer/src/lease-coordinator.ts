import type { LoggerService } from '@nestjs/common';
import { HeldLease } from './held-lease';
import { type CounterObservations, type Lease, newLease, observeCounters, planLeaseTaking } from './lease';
import { LeaseLostError, type LeaseTable } from './lease-table';
import type { ShardSource } from './shard-source';
import { Ticker } from './ticker';

export interface CoordinatorSettings {
  workerId: string;
  leaseDurationMs: number;
  shardSyncIntervalMs: number;
}

export interface CoordinatorListener {
  /** A lease was taken: start consuming its shard. */
  leaseAcquired(held: HeldLease): void;
  /** A held lease was lost (another worker took it, or renewal failed for a lease duration). */
  leaseLost(held: HeldLease, reason: string): void;
}

/**
 * The lease side of a worker, like the KCL's lease coordinator: a shard sync that creates a lease
 * for every shard ListShards reports, a renewer that heartbeats held leases every third of a lease
 * duration, and a taker that scans the table every half lease duration and takes free, expired or
 * (for balance) stolen leases.
 */
export class LeaseCoordinator {
  private readonly held = new Map<string, HeldLease>();
  private readonly observations: CounterObservations = new Map();
  private knownShardIds = new Set<string>();
  private readonly renewer: Ticker;
  private readonly taker: Ticker;
  private readonly shardSync: Ticker;
  /** Epoch ms of the last successful scan of the lease table (health). */
  lastTableScanAt?: number;

  constructor(
    private readonly settings: CoordinatorSettings,
    private readonly table: LeaseTable,
    private readonly source: ShardSource,
    private readonly listener: CoordinatorListener,
    private readonly logger: LoggerService,
    private readonly now: () => number = Date.now,
  ) {
    const logError = (task: string) => (err: unknown) =>
      this.logger.warn({ msg: `${task} failed`, task, error: errorText(err) });
    this.renewer = new Ticker(Math.max(50, Math.floor(settings.leaseDurationMs / 3)), () => this.renewLeases(), logError('lease renewal'));
    this.taker = new Ticker(Math.max(50, Math.floor(settings.leaseDurationMs / 2)), () => this.takeLeases(), logError('lease taking'));
    this.shardSync = new Ticker(settings.shardSyncIntervalMs, () => this.syncShards(), logError('shard sync'));
  }

  get heldLeases(): HeldLease[] {
    return [...this.held.values()];
  }

  async start(): Promise<void> {
    await this.syncShards();
    await this.takeLeases();
    this.renewer.start();
    this.taker.start();
    this.shardSync.start();
  }

  /** Stops taking and shard sync; held leases keep being renewed until `stopRenewing`. */
  async stopTaking(): Promise<void> {
    await Promise.all([this.taker.stop(), this.shardSync.stop()]);
  }

  async stopRenewing(): Promise<void> {
    await this.renewer.stop();
  }

  /** The shard's consumer has ended (lease released, finished or lost): stop renewing it. */
  forget(held: HeldLease): void {
    if (this.held.get(held.leaseKey) === held) this.held.delete(held.leaseKey);
  }

  /** A shard was finished: its children may now be workable, so look for them soon. */
  shardFinished(): void {
    this.shardSync.runSoon();
    this.taker.runSoon();
  }

  async syncShards(): Promise<void> {
    const shards = await this.source.listShards();
    const leases = await this.table.listLeases(this.source.streamName);
    const existing = new Set(leases.map((l) => l.shardId));
    // Parents first, so that a child's lease never exists while its parent's is still missing.
    for (const shard of shards) {
      if (existing.has(shard.shardId)) continue;
      if (await this.table.createLease(newLease(this.source.streamName, shard))) {
        this.logger.log({ msg: 'lease created', shardId: shard.shardId, parentShardIds: shard.parentShardIds });
      }
    }
    this.knownShardIds = new Set(shards.map((s) => s.shardId));
  }

  async takeLeases(): Promise<void> {
    const leases = await this.table.listLeases(this.source.streamName);
    const now = this.now();
    this.lastTableScanAt = now;
    observeCounters(this.observations, leases, now);
    const plan = planLeaseTaking({
      workerId: this.settings.workerId,
      leases,
      held: new Set(this.held.keys()),
      observations: this.observations,
      knownShardIds: this.knownShardIds,
      leaseDurationMs: this.settings.leaseDurationMs,
      now,
    });
    for (const lease of plan.take) await this.take(lease, lease.owner ? 'expired' : 'free');
    if (plan.steal) await this.take(plan.steal, 'stolen');
  }

  async renewLeases(): Promise<void> {
    await Promise.all(
      this.heldLeases.map(async (held) => {
        if (held.state !== 'held') return;
        try {
          await held.renew();
        } catch (err) {
          if (err instanceof LeaseLostError) return this.lose(held, 'another worker took the lease');
          // Others may take the lease a lease duration after our last successful write: stop before.
          if (this.now() - held.lastWriteStartedAt >= this.settings.leaseDurationMs) {
            held.markLost();
            return this.lose(held, `no successful renewal for ${this.settings.leaseDurationMs} ms: ${errorText(err)}`);
          }
          this.logger.warn({ msg: 'lease renewal failed, will retry', shardId: held.shardId, error: errorText(err) });
        }
      }),
    );
  }

  private async take(lease: Lease, why: 'free' | 'expired' | 'stolen'): Promise<void> {
    const startedAt = this.now();
    const taken = await this.table.takeLease(lease, this.settings.workerId);
    if (!taken) return; // another worker was faster, or the owner renewed: not ours.
    const held = new HeldLease(taken, this.table, startedAt, this.now);
    this.held.set(taken.leaseKey, held);
    this.logger.log({ msg: 'lease acquired', shardId: taken.shardId, how: why, previousOwner: lease.owner, checkpoint: taken.checkpoint });
    this.listener.leaseAcquired(held);
  }

  private lose(held: HeldLease, reason: string): void {
    this.forget(held);
    this.logger.warn({ msg: 'lease lost', shardId: held.shardId, reason });
    this.listener.leaseLost(held, reason);
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
