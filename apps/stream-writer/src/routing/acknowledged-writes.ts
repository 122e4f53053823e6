/**
 * What the at-least-once sinks (raw zone, dead letters) already acknowledged for the records of the
 * batch a shard is delivering, so that a retry of that batch — or of a part of it during a
 * bisection — does not send them again. Kept per shard in this process only: after a crash or a
 * lease move the new owner sends them again (the documented duplicates; the curated zone dedupes
 * raw events by eventId, dead letters by shard + sequence number + stage).
 *
 * Keys are padded sequence numbers (they sort like the numbers). A shard delivers its batches in
 * order, so everything before the first record of a call is settled and can be forgotten; at most
 * one batch per shard is remembered.
 */
export class AcknowledgedWrites {
  private readonly byShard = new Map<string, Map<string, Set<string>>>();

  has(shardId: string, sequence: string, write: string): boolean {
    return this.byShard.get(shardId)?.get(sequence)?.has(write) ?? false;
  }

  add(shardId: string, sequence: string, write: string): void {
    let shard = this.byShard.get(shardId);
    if (!shard) this.byShard.set(shardId, (shard = new Map()));
    let writes = shard.get(sequence);
    if (!writes) shard.set(sequence, (writes = new Set()));
    writes.add(write);
  }

  /** Forgets the records before `sequence` (exclusive) or through it (inclusive). */
  forget(shardId: string, sequence: string, inclusive: boolean): void {
    const shard = this.byShard.get(shardId);
    if (!shard) return;
    for (const key of shard.keys()) if (key < sequence || (inclusive && key === sequence)) shard.delete(key);
    if (!shard.size) this.byShard.delete(shardId);
  }

  /** Records remembered over all shards (for tests and diagnostics). */
  get size(): number {
    let n = 0;
    for (const shard of this.byShard.values()) n += shard.size;
    return n;
  }
}
