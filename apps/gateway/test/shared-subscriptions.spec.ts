import type { ExecutionResult } from 'graphql';
import { SharedSubscriptions } from '../src/runtime/shared-subscriptions';

/** An upstream subscription the test drives by hand, recording whether it was ended. */
function manualSource() {
  const pending: ((r: IteratorResult<ExecutionResult>) => void)[] = [];
  const queued: IteratorResult<ExecutionResult>[] = [];
  let failure: unknown;
  const state = { returned: false, starts: 0 };
  const iterable: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (failure) return Promise.reject(failure);
      const q = queued.shift();
      return q ? Promise.resolve(q) : new Promise((r) => pending.push(r));
    },
    return() {
      state.returned = true;
      pending.splice(0).forEach((r) => r({ value: undefined, done: true }));
      return Promise.resolve({ value: undefined, done: true });
    },
  };
  const deliver = (r: IteratorResult<ExecutionResult>) => {
    const waiter = pending.shift();
    if (waiter) waiter(r);
    else queued.push(r);
  };
  return {
    state,
    start: () => {
      state.starts++;
      return iterable;
    },
    emit: (n: number) => deliver({ value: { data: { n } }, done: false }),
    end: () => deliver({ value: undefined, done: true }),
    fail: (err: unknown) => {
      failure = err;
      pending.splice(0).forEach(() => undefined);
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SharedSubscriptions', () => {
  it('starts one upstream for identical subscriptions and gives each subscriber every event', async () => {
    const shared = new SharedSubscriptions();
    const source = manualSource();
    const a = (await shared.subscribe('k', source.start)) as AsyncIterableIterator<ExecutionResult>;
    const b = (await shared.subscribe('k', source.start)) as AsyncIterableIterator<ExecutionResult>;
    source.emit(1);
    source.emit(2);
    expect(await a.next()).toEqual({ value: { data: { n: 1 } }, done: false });
    expect(await a.next()).toEqual({ value: { data: { n: 2 } }, done: false });
    expect(await b.next()).toEqual({ value: { data: { n: 1 } }, done: false });
    expect(await b.next()).toEqual({ value: { data: { n: 2 } }, done: false });
    expect(source.state.starts).toBe(1);
  });

  it('keeps different keys apart', async () => {
    const shared = new SharedSubscriptions();
    const one = manualSource();
    const two = manualSource();
    await shared.subscribe('one', one.start);
    await shared.subscribe('two', two.start);
    expect(shared.sourceCount).toBe(2);
  });

  it('ends the upstream only when the last subscriber leaves', async () => {
    const shared = new SharedSubscriptions();
    const source = manualSource();
    const a = (await shared.subscribe('k', source.start)) as AsyncIterableIterator<ExecutionResult>;
    const b = (await shared.subscribe('k', source.start)) as AsyncIterableIterator<ExecutionResult>;
    await a.return!();
    expect(source.state.returned).toBe(false);
    await b.return!();
    expect(source.state.returned).toBe(true);
    expect(shared.sourceCount).toBe(0);
  });

  it('starts a new upstream for a subscriber that comes after the last one left', async () => {
    const shared = new SharedSubscriptions();
    const source = manualSource();
    const a = (await shared.subscribe('k', source.start)) as AsyncIterableIterator<ExecutionResult>;
    await a.return!();
    await shared.subscribe('k', source.start);
    expect(source.state.starts).toBe(2);
  });

  it('completes every subscriber when the upstream completes', async () => {
    const shared = new SharedSubscriptions();
    const source = manualSource();
    const a = (await shared.subscribe('k', source.start)) as AsyncIterableIterator<ExecutionResult>;
    const b = (await shared.subscribe('k', source.start)) as AsyncIterableIterator<ExecutionResult>;
    source.end();
    await tick();
    expect(await a.next()).toEqual({ value: undefined, done: true });
    expect(await b.next()).toEqual({ value: undefined, done: true });
  });

  it('passes an upstream failure to every subscriber', async () => {
    const shared = new SharedSubscriptions();
    const failing = {
      [Symbol.asyncIterator]() {
        return { next: () => Promise.reject(new Error('subgraph gone')) };
      },
    } as AsyncIterable<ExecutionResult>;
    const a = (await shared.subscribe('k', () => failing)) as AsyncIterableIterator<ExecutionResult>;
    await expect(a.next()).rejects.toThrow('subgraph gone');
    expect(shared.sourceCount).toBe(0);
  });

  it('hands a single error result to its subscriber without sharing it', async () => {
    const shared = new SharedSubscriptions();
    const result = { errors: [{ message: 'bad' }] } as unknown as ExecutionResult;
    expect(await shared.subscribe('k', () => result)).toBe(result);
    expect(shared.sourceCount).toBe(0);
  });
});
