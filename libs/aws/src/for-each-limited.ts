import pMap from 'p-map';

/**
 * Runs `task` over `items` with at most `concurrency` in flight (p-map) and, once all have settled,
 * rejects with the first failure: the caller sees the error a backend raised (its class decides
 * retry or bisection), not an AggregateError, and no write is left running behind a rejection.
 */
export async function forEachLimited<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let failure: { error: unknown } | undefined;
  await pMap(
    items,
    async (item, index) => {
      try {
        await task(item, index);
      } catch (error) {
        failure ??= { error };
      }
    },
    { concurrency },
  );
  if (failure) throw failure.error;
}
