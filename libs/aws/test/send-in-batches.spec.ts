import { type EntryFailure, sendInBatches } from '@plant/aws';

/**
 * The helper's own rules, with `send` standing for a batch API that refuses the entries a rule
 * picks (the adapters' tests run it against the local stack's real endpoints).
 */
const refusedWhile = (refuse: (item: number, attempt: number) => boolean) => {
  const calls: number[][] = [];
  const attempts = new Map<number, number>();
  const send = async (batch: readonly number[]): Promise<(EntryFailure | undefined)[]> => {
    calls.push([...batch]);
    return batch.map((item) => {
      const attempt = (attempts.get(item) ?? 0) + 1;
      attempts.set(item, attempt);
      return refuse(item, attempt) ? { code: 'ThrottlingException', message: `item ${item}` } : undefined;
    });
  };
  return { calls, send };
};
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const fast = { attempts: 4, minDelayMs: 1, maxDelayMs: 2 };

describe('sendInBatches', () => {
  it('chunks by the entry limit and the byte limit, in order', async () => {
    const { calls, send } = refusedWhile(() => false);
    const report = await sendInBatches({ items: range(12), limits: { maxEntries: 5, maxBytes: 30 }, sizeOf: (i) => (i === 7 ? 29 : 1), send, retry: fast });
    expect(calls).toEqual([[0, 1, 2, 3, 4], [5, 6], [7, 8], [9, 10, 11]]);
    expect(report).toEqual({ failed: [], notSent: [], calls: 4, retried: 0 });
  });

  it('starts a new batch where the caller says so (one alert once per call)', async () => {
    const { calls, send } = refusedWhile(() => false);
    const items = [1, 2, 1, 3, 3];
    await sendInBatches({ items, limits: { maxEntries: 10 }, startsNewBatch: (batch, next) => batch.includes(next), send, retry: fast });
    expect(calls).toEqual([[1, 2], [1, 3], [3]]);
  });

  it('sends again only the entries that were refused, until they are accepted', async () => {
    const { calls, send } = refusedWhile((item, attempt) => item % 3 === 0 && attempt <= 2);
    const accepted: number[] = [];
    const report = await sendInBatches({ items: range(9), limits: { maxEntries: 10 }, send, onAccepted: (items) => accepted.push(...items), retry: fast });
    expect(calls).toEqual([range(9), [0, 3, 6], [0, 3, 6]]);
    expect(accepted.sort((a, b) => a - b)).toEqual(range(9));
    expect(report).toMatchObject({ failed: [], calls: 3, retried: 6 });
  });

  it('gives up after the configured attempts and reports the entries still refused with their failure', async () => {
    const { calls, send } = refusedWhile((item) => item === 4);
    const report = await sendInBatches({ items: range(6), limits: { maxEntries: 3 }, send, retry: fast });
    expect(calls.filter((c) => c.includes(4))).toHaveLength(4);
    expect(report.failed).toEqual([{ item: 4, failure: { code: 'ThrottlingException', message: 'item 4' } }]);
  });

  it('reports a refusal not worth retrying at once, without another attempt', async () => {
    const { calls, send } = refusedWhile((item) => item === 1);
    const report = await sendInBatches({ items: range(3), limits: { maxEntries: 3 }, send, isRetryable: () => false, retry: fast });
    expect(calls).toEqual([[0, 1, 2]]);
    expect(report.failed.map((f) => f.item)).toEqual([1]);
  });

  it('waits between attempts with exponential backoff bounded by maxDelayMs', async () => {
    const delays: number[] = [];
    const realSetTimeout = global.setTimeout;
    const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout);
    try {
      const { send } = refusedWhile(() => true);
      await sendInBatches({ items: [1], limits: { maxEntries: 1 }, send, retry: { attempts: 8, minDelayMs: 50, maxDelayMs: 400 } });
    } finally {
      spy.mockRestore();
    }
    expect(delays).toHaveLength(7);
    // attempt n waits min(400, 50 × 2^(n-1) × [1, 2)): growing, never above the cap.
    delays.forEach((ms, n) => {
      expect(ms).toBeGreaterThanOrEqual(Math.min(400, 50 * 2 ** n));
      expect(ms).toBeLessThanOrEqual(400);
    });
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const send = async (batch: readonly number[]) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return batch.map(() => undefined);
    };
    await sendInBatches({ items: range(100), limits: { maxEntries: 5 }, concurrency: 3, send, retry: fast });
    expect(most).toBe(3);
  });

  it('after a batch gave up, sends no later batch when asked to keep order', async () => {
    const { calls, send } = refusedWhile((item) => item === 1);
    const report = await sendInBatches({ items: range(6), limits: { maxEntries: 2 }, stopAfterFailure: true, send, retry: fast });
    expect(calls.every((c) => c.includes(0) || c.includes(1))).toBe(true);
    expect(report.failed.map((f) => f.item)).toEqual([1]);
    expect(report.notSent).toEqual([2, 3, 4, 5]);
  });

  it('rethrows a call error once the other batches have settled, unless the caller turns it into entry failures', async () => {
    const boom = Object.assign(new Error('no such stream'), { name: 'ResourceNotFoundException' });
    const settled: number[][] = [];
    const send = async (batch: readonly number[]) => {
      if (batch.includes(0)) throw boom;
      await new Promise((r) => setImmediate(r));
      settled.push([...batch]);
      return batch.map(() => undefined);
    };
    await expect(sendInBatches({ items: range(4), limits: { maxEntries: 2 }, concurrency: 2, send, retry: fast })).rejects.toBe(boom);
    expect(settled).toEqual([[2, 3]]);
    const report = await sendInBatches({
      items: range(2),
      limits: { maxEntries: 2 },
      send,
      failureOfCallError: (err) => ({ code: (err as Error).name, retryable: false }),
      retry: fast,
    });
    expect(report.failed).toEqual([
      { item: 0, failure: { code: 'ResourceNotFoundException', message: undefined } },
      { item: 1, failure: { code: 'ResourceNotFoundException', message: undefined } },
    ]);
  });
});

describe('sendInBatches with errors from another realm', () => {
  it('rethrows a thrown value that is not an Error of this realm as it is (jest sandboxes Node’s socket errors)', async () => {
    const foreign = { name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' };
    const send = async (): Promise<undefined[]> => {
      throw foreign;
    };
    await expect(sendInBatches({ items: [1], limits: { maxEntries: 1 }, send, retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 1 } })).rejects.toBe(foreign);
  });
});
