/**
 * Exponential backoff with full jitter (attempt 0 → up to `baseMs`, doubling, capped at `maxMs`)
 * for polling loops that wait between reads (the change-feed reader). Batch sends retry through
 * `sendInBatches` (p-retry) instead.
 */
export function backoffMs(attempt: number, baseMs = 50, maxMs = 2_000): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
}
