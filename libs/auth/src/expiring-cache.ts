import { LRUCache } from 'lru-cache';

/** Where a cache reads the time (epoch ms); tests pass a fake one. */
export interface Clock {
  now(): number;
}

/**
 * A bounded map whose entries end at their own expiry (epoch ms), on `lru-cache` (bounded size,
 * per-entry TTL, least recently used goes first when full). The one TTL cache of the repository:
 * token verification here and in libs/graphql (verifying or signing a JWT costs an async WebCrypto
 * call, and callers repeat the same token on every request) and the gateway's response/APQ cache.
 * An entry is never served at or after its expiry (lru-cache alone would serve it at the exact
 * millisecond, hence the remaining-TTL check).
 */
export class ExpiringCache<V extends NonNullable<unknown>> {
  private readonly lru: LRUCache<string, V>;

  constructor(
    maxEntries = 10_000,
    private readonly clock: Clock = Date,
  ) {
    // ttlResolution 0: read the clock on every check instead of caching it for a millisecond.
    this.lru = new LRUCache<string, V>({ max: maxEntries, perf: clock, ttlResolution: 0 });
  }

  /** The value if it is still valid at `at` (default now): `at` later than now asks "valid for that much longer". */
  get(key: string, at = this.clock.now()): V | undefined {
    const value = this.lru.get(key);
    if (value === undefined) return undefined;
    if (this.clock.now() + this.lru.getRemainingTTL(key) > at) return value;
    if (at <= this.clock.now()) this.lru.delete(key);
    return undefined;
  }

  /** Keeps `value` until `expiresAt` (Infinity: until evicted); an expiry already past stores nothing. */
  set(key: string, value: V, expiresAt: number): void {
    const ttl = expiresAt - this.clock.now();
    if (ttl <= 0) {
      this.lru.delete(key);
      return;
    }
    this.lru.set(key, value, Number.isFinite(ttl) ? { ttl } : {});
  }

  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  /** Keys of the live entries, oldest use first. */
  liveKeys(): string[] {
    return [...this.lru.rkeys()].filter((key) => this.lru.getRemainingTTL(key) > 0);
  }

  /** Frees the memory of expired entries now (they are never served either way). */
  purgeExpired(): void {
    this.lru.purgeStale();
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}
