import type { Lease } from './lease';

/** A conditional write found the lease changed by someone else: this worker no longer owns it. */
export class LeaseLostError extends Error {
  constructor(readonly leaseKey: string, operation: string) {
    super(`lease ${leaseKey} was taken or changed by another worker (${operation} refused)`);
    this.name = 'LeaseLostError';
  }
}

/** What an owner writes into its lease besides the heartbeat. */
export interface LeaseChange {
  checkpoint?: string;
  /** Clears the owner so that any worker may take the lease at once. */
  release?: boolean;
}

/**
 * The lease table port. Every write that concerns ownership is conditional on the counter (and the
 * owner) the writer last saw, and increments the counter, so of two workers racing for a lease
 * exactly one wins; the loser learns it from `undefined` (take) or `LeaseLostError` (owner writes).
 */
export interface LeaseTable {
  /** Every lease of the stream, read consistently. */
  listLeases(streamName: string): Promise<Lease[]>;
  /** Creates the lease unless one exists for the shard; returns whether it created it. */
  createLease(lease: Lease): Promise<boolean>;
  /** Takes (or steals) a lease whose counter is still `observed.counter`; undefined if it moved. */
  takeLease(observed: Lease, workerId: string): Promise<Lease | undefined>;
  /** Heartbeat and optional checkpoint/release by the owner; throws LeaseLostError when not the owner. */
  updateOwned(lease: Lease, change?: LeaseChange): Promise<Lease>;
}
