/** Runs `task` over `items` with at most `limit` in flight; rejects with the first failure after all settled. */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        await task(items[index], index);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Exponential backoff with full jitter: attempt 0 → up to `baseMs`, doubling, capped at `maxMs`. */
export function backoffMs(attempt: number, baseMs = 50, maxMs = 2_000): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Thrown when a batch API kept failing some entries after every retry; the batch as a whole is then retried by the consumer. */
export class PartialFailureError extends Error {
  constructor(
    readonly service: string,
    readonly failedCount: number,
    readonly sampleError: string,
  ) {
    super(`${service}: ${failedCount} entries still failing after retries (${sampleError})`);
    this.name = 'PartialFailureError';
  }
}
