import type { FailureClass } from './record-processor';

/**
 * Where a shard's delivery stands, for `/health` and `/metrics`:
 * `flowing` (nothing failing), `retrying` (the current batch failed and is retried with backoff),
 * `bisecting` (the current batch kept failing for a record reason and is being split).
 */
export type ShardFlow = 'flowing' | 'retrying' | 'bisecting';
export const SHARD_FLOWS: readonly ShardFlow[] = ['flowing', 'retrying', 'bisecting'];

export interface ShardStatus {
  shardId: string;
  flow: ShardFlow;
  /** When the current batch first failed (epoch ms); undefined while flowing. */
  blockedSinceMs?: number;
  /** Failed processor calls (and isolation writes) of the current batch. */
  failures: number;
  lastFailure?: { class: FailureClass; message: string };
  /** Records read from the shard and not yet checkpointed (the batch being delivered). */
  pendingRecords: number;
  /** Approximate arrival time of the oldest record read and not yet checkpointed. */
  oldestPendingArrivalMs?: number;
  /** MillisBehindLatest of the last GetRecords. */
  millisBehindLatest?: number;
}

export function newShardStatus(shardId: string): ShardStatus {
  return { shardId, flow: 'flowing', failures: 0, pendingRecords: 0 };
}

/**
 * How far the shard's checkpoint trails the stream's head, in milliseconds: the age of the oldest
 * record read but not yet checkpointed, or, with nothing pending, MillisBehindLatest of the last read.
 */
export function lagMs(status: ShardStatus, nowMs: number): number {
  const pendingAge = status.oldestPendingArrivalMs !== undefined ? Math.max(0, nowMs - status.oldestPendingArrivalMs) : 0;
  return Math.max(pendingAge, status.millisBehindLatest ?? 0);
}

/**
 * Why a shard makes the worker unready, or undefined: a shard that is bisecting, or whose batch
 * has failed `maxAttempts` times or more (a transient fault that lasts, or a processor that cannot
 * isolate records).
 */
export function blockedReason(status: ShardStatus, maxAttempts: number, nowMs: number): string | undefined {
  if (status.flow === 'flowing') return undefined;
  if (status.flow === 'retrying' && status.failures < maxAttempts) return undefined;
  const seconds = status.blockedSinceMs !== undefined ? ((nowMs - status.blockedSinceMs) / 1000).toFixed(1) : '?';
  const last = status.lastFailure ? `; last failure (${status.lastFailure.class}): ${status.lastFailure.message}` : '';
  return `shard ${status.shardId} ${status.flow} for ${seconds} s, ${status.failures} failed attempts, ${status.pendingRecords} records pending${last}`;
}
