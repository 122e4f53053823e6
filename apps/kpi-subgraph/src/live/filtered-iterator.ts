/**
 * Wraps a PubSub iterator so that only matching payloads come out. Returning or throwing on the
 * wrapper is passed to the source, which unsubscribes it from the PubSub (no listener leak when a
 * client disconnects).
 */
export function filterIterator<T>(source: AsyncIterableIterator<T>, matches: (payload: T) => boolean): AsyncIterableIterator<T> {
  return {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        const result = await source.next();
        if (result.done || matches(result.value)) return result;
      }
    },
    return(): Promise<IteratorResult<T>> {
      return source.return ? source.return() : Promise.resolve({ done: true, value: undefined });
    },
    throw(error?: unknown): Promise<IteratorResult<T>> {
      return source.throw ? source.throw(error) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
