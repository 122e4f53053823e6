import type { KeyValueCache, KeyValueCacheSetOptions } from '@graphql-mesh/types';
import { ExpiringCache } from '@plant/auth';

/**
 * The gateway's process-local cache (response cache entries, APQ) in the Mesh cache interface, on
 * the repository's one TTL cache (ExpiringCache, lru-cache). Entries expire after their TTL
 * (seconds, the Mesh cache convention) and are never served after it; the least recently used go
 * first when the cache is full. Process-local is enough: replicas each hold ≤ 1 s of KPI responses.
 * Null values are not cached (lru-cache stores no nullish values; the response cache never sets one).
 */
export class InMemoryTtlCache implements KeyValueCache {
  private readonly entries: ExpiringCache<NonNullable<unknown>>;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    maxEntries = 50_000,
    sweepEveryMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new ExpiringCache(maxEntries, { now });
    // Expired entries are never served; the sweep only gives their memory back early.
    this.sweeper = setInterval(() => this.entries.purgeExpired(), sweepEveryMs);
    this.sweeper.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): unknown {
    return this.entries.get(key);
  }

  set(key: string, value: unknown, options?: KeyValueCacheSetOptions): void {
    const ttlMs = options?.ttl != null && Number.isFinite(options.ttl) ? options.ttl * 1000 : Infinity;
    if (ttlMs <= 0 || value == null) return;
    this.entries.set(key, value, this.now() + ttlMs);
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  getKeysByPrefix(prefix: string): string[] {
    return this.entries.liveKeys().filter((k) => k.startsWith(prefix));
  }

  dispose(): void {
    clearInterval(this.sweeper);
    this.entries.clear();
  }
}
