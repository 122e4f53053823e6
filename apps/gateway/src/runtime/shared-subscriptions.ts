import type { ExecutionResult } from 'graphql';

type SubscribeResult = AsyncIterable<ExecutionResult> | ExecutionResult;

/** What a subscriber that falls this far behind gets instead of an unbounded queue. */
export const MAX_QUEUED_EVENTS = 1_000;

/**
 * Shares one upstream subscription among all identical client subscriptions (same document,
 * variables and credentials). Without it each client subscription is its own upstream subscription,
 * and every event is planned, fetched (`_entities`) and executed once per client.
 *
 * Every subscriber gets each event the shared source yields after it joined; the source ends when
 * the last subscriber leaves. A source that fails or ends passes that on to every subscriber.
 */
export class SharedSubscriptions {
  private readonly sources = new Map<string, SharedSource>();

  /** Number of upstream executions currently shared. */
  get sourceCount(): number {
    return this.sources.size;
  }

  async subscribe(key: string, start: () => Promise<SubscribeResult> | SubscribeResult): Promise<SubscribeResult> {
    let source = this.sources.get(key);
    if (!source) {
      source = new SharedSource(start, () => this.sources.delete(key));
      this.sources.set(key, source);
    }
    return source.join();
  }
}

class SharedSource {
  private readonly subscribers = new Set<Subscriber>();
  private upstream?: Promise<SubscribeResult>;
  private iterator?: AsyncIterator<ExecutionResult>;
  private closed = false;

  constructor(
    private readonly start: () => Promise<SubscribeResult> | SubscribeResult,
    private readonly onClosed: () => void,
  ) {}

  async join(): Promise<SubscribeResult> {
    this.upstream ??= Promise.resolve().then(this.start);
    let result: SubscribeResult;
    try {
      result = await this.upstream;
    } catch (err) {
      this.close();
      throw err;
    }
    // A subscription that failed before its first event (e.g. validation in a subgraph) is a single
    // result: hand it over as is and let the next identical subscription try again.
    if (!isAsyncIterable(result)) {
      this.close();
      return result;
    }
    if (this.closed) return this.restartedSubscription();
    const subscriber = new Subscriber((s) => this.leave(s));
    this.subscribers.add(subscriber);
    if (!this.iterator) {
      this.iterator = result[Symbol.asyncIterator]();
      void this.pump(this.iterator);
    }
    return subscriber;
  }

  private async pump(iterator: AsyncIterator<ExecutionResult>): Promise<void> {
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        for (const s of this.subscribers) s.push(next.value);
      }
      this.finish((s) => s.end());
    } catch (err) {
      this.finish((s) => s.fail(err));
    }
  }

  private finish(each: (s: Subscriber) => void): void {
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    this.close();
    subscribers.forEach(each);
  }

  private leave(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0 && !this.closed) {
      this.close();
      void this.iterator?.return?.();
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
  }

  /** A subscriber that arrived while the source was closing gets its own fresh source. */
  private restartedSubscription(): Promise<SubscribeResult> {
    return new SharedSource(this.start, () => undefined).join();
  }
}

/** One client's view of a shared source: its own queue, so one slow client does not hold up others. */
class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private waiting?: { resolve: (r: IteratorResult<ExecutionResult>) => void; reject: (e: unknown) => void };
  private ended = false;
  private error?: unknown;

  constructor(private readonly onLeave: (s: Subscriber) => void) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  push(value: ExecutionResult): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
      return;
    }
    if (this.queue.length >= MAX_QUEUED_EVENTS) {
      this.fail(new Error(`subscriber fell more than ${MAX_QUEUED_EVENTS} events behind`));
      this.onLeave(this);
      return;
    }
    this.queue.push(value);
  }

  end(): void {
    this.settle();
  }

  fail(err: unknown): void {
    if (this.ended) return;
    this.error = err;
    this.settle();
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.error !== undefined) {
      const err = this.error;
      this.error = undefined;
      return Promise.reject(err);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.settle();
    this.queue.length = 0;
    this.onLeave(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  private settle(): void {
    if (this.ended) return;
    this.ended = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting) return;
    if (this.error !== undefined) {
      const err = this.error;
      this.error = undefined;
      waiting.reject(err);
    } else waiting.resolve({ value: undefined, done: true });
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return value != null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}
