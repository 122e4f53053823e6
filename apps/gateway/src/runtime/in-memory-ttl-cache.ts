import type { KeyValueCache, KeyValueCacheSetOptions } from '@graphql-mesh/types';

interface Entry {
  value: unknown;
  expiresAt: number;
}

/**
 * The gateway's process-local cache (response cache entries). Entries expire after their TTL
 * (seconds, the Mesh cache convention) and are never served after it; the oldest entries go first
 * when the cache is full. Process-local is enough: replicas each hold ≤ 1 s of KPI responses.
 */
export class InMemoryTtlCache implements KeyValueCache {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly maxEntries = 50_000,
    sweepEveryMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): unknown {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: unknown, options?: KeyValueCacheSetOptions): void {
    const ttlMs = options?.ttl != null && Number.isFinite(options.ttl) ? options.ttl * 1000 : Infinity;
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  getKeysByPrefix(prefix: string): string[] {
    const now = this.now();
    return [...this.entries].filter(([k, e]) => e.expiresAt > now && k.startsWith(prefix)).map(([k]) => k);
  }

  dispose(): void {
    clearInterval(this.sweeper);
    this.entries.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
