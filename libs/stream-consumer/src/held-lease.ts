import type { Lease } from './lease';
import { type LeaseChange, LeaseLostError, type LeaseTable } from './lease-table';

export type HeldLeaseState = 'held' | 'lost' | 'released';

/**
 * A lease this worker owns. Its writes (heartbeat, checkpoint, release) run one after the other,
 * because each one is conditional on the counter the previous one produced. Losing the lease (a
 * refused write, or no successful write for a whole lease duration) aborts `signal`, which stops the
 * shard's consumer at once; nothing is written for the lease afterwards.
 */
export class HeldLease {
  private current: Lease;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly abort = new AbortController();
  private stateValue: HeldLeaseState = 'held';
  /** Start time of the last write that succeeded: others can take the lease a lease duration later. */
  lastWriteStartedAt: number;

  constructor(
    lease: Lease,
    private readonly table: LeaseTable,
    writeStartedAt: number,
    private readonly now: () => number = Date.now,
  ) {
    this.current = lease;
    this.lastWriteStartedAt = writeStartedAt;
  }

  get lease(): Lease {
    return this.current;
  }

  get leaseKey(): string {
    return this.current.leaseKey;
  }

  get shardId(): string {
    return this.current.shardId;
  }

  get state(): HeldLeaseState {
    return this.stateValue;
  }

  /** Aborted when the lease is lost or released. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  markLost(): void {
    if (this.stateValue !== 'held') return;
    this.stateValue = 'lost';
    this.abort.abort(new LeaseLostError(this.leaseKey, 'lost'));
  }

  renew(): Promise<void> {
    return this.write({}, 'renew');
  }

  checkpoint(sequenceNumber: string): Promise<void> {
    return this.write({ checkpoint: sequenceNumber }, 'checkpoint');
  }

  /** Clears the owner (after an optional last checkpoint) so another worker can take the lease at once. */
  async release(checkpoint?: string): Promise<void> {
    await this.write({ checkpoint, release: true }, 'release');
    this.stateValue = 'released';
    this.abort.abort(new Error(`lease ${this.leaseKey} released`));
  }

  private write(change: LeaseChange, operation: string): Promise<void> {
    const run = async () => {
      if (this.stateValue !== 'held') throw new LeaseLostError(this.leaseKey, operation);
      const startedAt = this.now();
      try {
        this.current = await this.table.updateOwned(this.current, change);
        this.lastWriteStartedAt = startedAt;
      } catch (err) {
        if (err instanceof LeaseLostError) this.markLost();
        throw err;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
