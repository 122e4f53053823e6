import { ExecutionResult, GraphQLError } from 'graphql';
import { UNAUTHENTICATED } from '@plant/auth';

/** setTimeout's longest delay (~24.8 days); later expiries re-arm the timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const tokenExpiredResult = (ended = 'the subscription ended'): ExecutionResult => ({
  errors: [new GraphQLError(`Your access token expired: ${ended}. Send it again with a new token.`, { extensions: { code: UNAUTHENTICATED } })],
});

/**
 * Ends a client's subscription when its token expires: one last result with an UNAUTHENTICATED
 * error, then completion (graphql-ws sends `complete`, SSE ends the stream); the source is
 * returned so its upstream subscription ends too. A subscription is never left running on a dead token.
 */
export function endAtExpiry(source: AsyncIterable<ExecutionResult>, expiresAt: number): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let onExpired!: () => void;
  const expired = new Promise<'expired'>((resolve) => (onExpired = () => resolve('expired')));
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return onExpired();
    timer = setTimeout(() => (left > MAX_TIMER_MS ? arm() : onExpired()), Math.min(left, MAX_TIMER_MS));
  };
  arm();
  const finish = async () => {
    finished = true;
    clearTimeout(timer);
    await iterator.return?.();
  };
  return {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      if (finished) return { done: true, value: undefined };
      const next = await Promise.race([iterator.next(), expired]);
      if (next === 'expired') {
        await finish();
        return { done: false, value: tokenExpiredResult() };
      }
      if (next.done) {
        finished = true;
        clearTimeout(timer);
      }
      return next;
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      if (!finished) await finish();
      return { done: true, value: undefined };
    },
    async throw(err?: unknown): Promise<IteratorResult<ExecutionResult>> {
      if (!finished) await finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
