/**
 * The lease model of the shard consumer, as the Kinesis Client Library (KCL) defines it: one lease
 * per shard, owned by at most one worker, whose `counter` grows with every write by its owner.
 * Workers judge expiry by watching the counter on their own clock (a lease whose counter has not
 * moved for a lease duration is expired), so no two machines' clocks are ever compared.
 */

/** Checkpoint of a lease that no record has been acknowledged for yet: start at the oldest record. */
export const TRIM_HORIZON = 'TRIM_HORIZON';
/** Checkpoint of a closed shard whose every record was acknowledged; its children may start. */
export const SHARD_END = 'SHARD_END';

export interface Lease {
  leaseKey: string;
  streamName: string;
  shardId: string;
  /** Worker id of the owner; undefined when the lease is free (released, or never taken). */
  owner?: string;
  counter: number;
  /** Last acknowledged sequence number, TRIM_HORIZON or SHARD_END. */
  checkpoint: string;
  parentShardIds: string[];
  /** Epoch ms of the owner's last write; for operators only, expiry never reads it (clock skew). */
  heartbeatAt?: number;
  ownerSwitchesSinceCheckpoint: number;
}

/** One shard as ListShards reports it. */
export interface ShardInfo {
  shardId: string;
  parentShardIds: string[];
  /** Set once the shard is closed (split or merged); reading it then ends with SHARD_END. */
  endingSequenceNumber?: string;
}

/** A stream may share the lease table with other streams, so the stream is part of the key. */
export function leaseKeyOf(streamName: string, shardId: string): string {
  return `${streamName}:${shardId}`;
}

export function newLease(streamName: string, shard: ShardInfo): Lease {
  return {
    leaseKey: leaseKeyOf(streamName, shard.shardId),
    streamName,
    shardId: shard.shardId,
    counter: 0,
    checkpoint: TRIM_HORIZON,
    parentShardIds: shard.parentShardIds,
    ownerSwitchesSinceCheckpoint: 0,
  };
}

/**
 * A child shard may be read only once all its parents are finished: otherwise a partition key's
 * newer records (in the child) could be delivered before its older ones (in the parent). A parent
 * without a lease that ListShards no longer reports has aged out of the stream, so it is finished.
 */
export function parentsFinished(lease: Lease, leasesByShard: ReadonlyMap<string, Lease>, knownShardIds: ReadonlySet<string>): boolean {
  return lease.parentShardIds.every((parentId) => {
    const parent = leasesByShard.get(parentId);
    if (parent) return parent.checkpoint === SHARD_END;
    return !knownShardIds.has(parentId);
  });
}

/** When a worker last saw each lease's counter change, on its own clock. */
export type CounterObservations = Map<string, { counter: number; since: number }>;

/** Updates the observations with a fresh scan of the table: a changed counter restarts its clock. */
export function observeCounters(observations: CounterObservations, leases: readonly Lease[], now: number): void {
  const seen = new Set<string>();
  for (const lease of leases) {
    seen.add(lease.leaseKey);
    const previous = observations.get(lease.leaseKey);
    if (!previous || previous.counter !== lease.counter) {
      observations.set(lease.leaseKey, { counter: lease.counter, since: now });
    }
  }
  for (const key of observations.keys()) if (!seen.has(key)) observations.delete(key);
}

export interface TakePlanInput {
  workerId: string;
  leases: readonly Lease[];
  /** Lease keys this worker holds and renews right now. */
  held: ReadonlySet<string>;
  observations: CounterObservations;
  knownShardIds: ReadonlySet<string>;
  leaseDurationMs: number;
  now: number;
  random?: () => number;
}

export interface TakePlan {
  /** Free or expired leases to take, up to this worker's fair share. */
  take: Lease[];
  /** A lease to steal from the most loaded worker, only when nothing was free to take. */
  steal?: Lease;
  /** Fair share per worker: ceil(workable leases / live workers). */
  target: number;
}

/**
 * Decides which leases this worker tries to take. Only leases that can be worked are counted
 * (not finished, parents finished). A lease is available when it has no owner, when its owner's
 * counter has not moved for a lease duration, or when it names this worker without being held
 * (a restart of the same worker id). The worker takes available leases up to its fair share; when
 * none are available and another worker holds more than the fair share, it steals one lease per
 * cycle, which converges without two workers trading the same lease back and forth.
 */
export function planLeaseTaking(input: TakePlanInput): TakePlan {
  const { workerId, held, observations, leaseDurationMs, now, random = Math.random } = input;
  const byShard = new Map(input.leases.map((l) => [l.shardId, l]));
  const workable = input.leases.filter((l) => l.checkpoint !== SHARD_END && parentsFinished(l, byShard, input.knownShardIds));

  const isAvailable = (lease: Lease): boolean => {
    if (held.has(lease.leaseKey)) return false;
    if (!lease.owner || lease.owner === workerId) return true;
    const seen = observations.get(lease.leaseKey);
    return !!seen && seen.counter === lease.counter && now - seen.since > leaseDurationMs;
  };

  const available: Lease[] = [];
  const leasesOf = new Map<string, Lease[]>();
  let mine = 0;
  for (const lease of workable) {
    if (held.has(lease.leaseKey)) mine++;
    else if (isAvailable(lease)) available.push(lease);
    else leasesOf.set(lease.owner!, [...(leasesOf.get(lease.owner!) ?? []), lease]);
  }
  const workers = leasesOf.size + 1;
  const target = Math.ceil(workable.length / workers);
  const need = target - mine;
  if (need <= 0) return { take: [], target };

  // Shuffled so that workers starting together do not all race for the same first lease.
  const take = shuffle(available, random).slice(0, need);
  if (take.length > 0) return { take, target };

  let busiest: Lease[] = [];
  for (const owned of leasesOf.values()) if (owned.length > busiest.length) busiest = owned;
  if (busiest.length > target) return { take: [], steal: busiest[Math.floor(random() * busiest.length)], target };
  return { take: [], target };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
