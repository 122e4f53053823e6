import {
  BudgetWaitAborted,
  type CounterObservations,
  type Lease,
  MIN_GET_RECORDS_INTERVAL_MS,
  observeCounters,
  parentsFinished,
  planLeaseTaking,
  PollPacer,
  RecordBudget,
  SHARD_END,
  TRIM_HORIZON,
} from '@plant/stream-consumer';

const lease = (shardId: string, owner?: string, extra: Partial<Lease> = {}): Lease => ({
  leaseKey: `s:${shardId}`,
  streamName: 's',
  shardId,
  owner,
  counter: 5,
  checkpoint: TRIM_HORIZON,
  parentShardIds: [],
  ownerSwitchesSinceCheckpoint: 0,
  ...extra,
});

function plan(leases: Lease[], opts: { held?: string[]; observations?: CounterObservations; now?: number; known?: string[] } = {}) {
  const observations = opts.observations ?? new Map();
  if (!opts.observations) observeCounters(observations, leases, 0);
  return planLeaseTaking({
    workerId: 'me',
    leases,
    held: new Set((opts.held ?? []).map((s) => `s:${s}`)),
    observations,
    knownShardIds: new Set(opts.known ?? leases.map((l) => l.shardId)),
    leaseDurationMs: 1_000,
    now: opts.now ?? 10,
    random: () => 0,
  });
}

describe('lease taking plan', () => {
  it('takes every free lease when no other worker is alive', () => {
    const result = plan(['a', 'b', 'c', 'd'].map((s) => lease(s)));
    expect(result.take.map((l) => l.shardId).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('leaves a live owner alone until its counter has been still for a lease duration', () => {
    const leases = [lease('a', 'other'), lease('b', 'other')];
    const observations: CounterObservations = new Map();
    observeCounters(observations, leases, 0);
    expect(plan(leases, { observations, now: 1_000 }).take).toHaveLength(0);
    expect(plan(leases, { observations, now: 1_001 }).take.map((l) => l.shardId).sort()).toEqual(['a', 'b']);
  });

  it('restarts the expiry clock when the counter moves', () => {
    const observations: CounterObservations = new Map();
    observeCounters(observations, [lease('a', 'other')], 0);
    observeCounters(observations, [lease('a', 'other', { counter: 6 })], 900);
    expect(plan([lease('a', 'other', { counter: 6 })], { observations, now: 1_500 }).take).toHaveLength(0);
  });

  it('steals one lease from a worker holding more than the fair share', () => {
    const leases = ['a', 'b', 'c', 'd'].map((s) => lease(s, 'other'));
    const result = plan(leases);
    expect(result.target).toBe(2);
    expect(result.take).toHaveLength(0);
    expect(result.steal?.owner).toBe('other');
  });

  it('does not steal when the split is as fair as it can be', () => {
    const leases = [lease('a', 'me'), lease('b', 'me'), lease('c', 'other'), lease('d', 'other'), lease('e', 'other')];
    expect(plan(leases, { held: ['a', 'b'] })).toEqual({ take: [], target: 3 });
  });

  it('takes its own leases back after a restart with the same worker id', () => {
    expect(plan([lease('a', 'me')]).take.map((l) => l.shardId)).toEqual(['a']);
  });

  it('ignores finished leases and children whose parents are not finished', () => {
    const leases = [lease('p', 'other', { checkpoint: SHARD_END }), lease('q', 'other'), lease('c1', undefined, { parentShardIds: ['p', 'q'] })];
    const result = plan(leases);
    // q is the only workable lease and a live worker holds it: fair share is 1 for each of 2 workers.
    expect(result).toEqual({ take: [], target: 1 });
  });

  it('treats a parent that aged out of the stream as finished, and a listed one without lease as not', () => {
    const child = lease('c', undefined, { parentShardIds: ['gone'] });
    const byShard = new Map([[child.shardId, child]]);
    expect(parentsFinished(child, byShard, new Set(['c']))).toBe(true);
    expect(parentsFinished(child, byShard, new Set(['c', 'gone']))).toBe(false);
  });
});

describe('poll pacer', () => {
  const pacer = () => new PollPacer({ pollIntervalMs: 100, maxIdleDelayMs: 400, backoffBaseMs: 500, maxBackoffMs: 2_000 }, () => 1);

  it('never calls one shard more than five times a second', () => {
    const p = pacer();
    p.callStarted(1_000);
    p.readSucceeded(1_010, 500, 500);
    expect(p.delayBefore(1_010)).toBe(MIN_GET_RECORDS_INTERVAL_MS - 10);
  });

  it('reads again at once (after the call limit) when a full page says the shard is behind', () => {
    const p = pacer();
    p.callStarted(0);
    p.readSucceeded(300, 500, 500);
    expect(p.delayBefore(300)).toBe(0);
  });

  it('treats MillisBehindLatest above the threshold as behind', () => {
    const p = pacer();
    p.callStarted(0);
    p.readSucceeded(300, 3, 500, 5_000);
    expect(p.delayBefore(300)).toBe(0);
  });

  it('waits the poll interval when caught up and doubles the delay on empty reads up to the cap', () => {
    const p = pacer();
    p.callStarted(0);
    p.readSucceeded(300, 3, 500);
    expect(p.delayBefore(300)).toBe(100);
    const delays = [1, 2, 3, 4].map(() => {
      p.callStarted(10_000);
      p.readSucceeded(10_000, 0, 500);
      return p.delayBefore(10_000);
    });
    expect(delays).toEqual([200, 200, 400, 400]);
  });

  it('backs off exponentially after throttling and resets after a success', () => {
    const p = pacer();
    expect([p.readFailed(0), p.readFailed(0), p.readFailed(0), p.readFailed(0)]).toEqual([500, 1_000, 2_000, 2_000]);
    p.callStarted(0);
    p.readSucceeded(0, 1, 500);
    expect(p.readFailed(0)).toBe(500);
  });
});

describe('record budget', () => {
  it('grants up to the free budget and makes later readers wait until records are acknowledged', async () => {
    const budget = new RecordBudget(150);
    expect(await budget.acquire(100)).toBe(100);
    expect(await budget.acquire(100)).toBe(50);
    let granted: number | undefined;
    const waiting = budget.acquire(100).then((n) => (granted = n));
    await Promise.resolve();
    expect(granted).toBeUndefined();
    budget.release(30);
    await waiting;
    expect(granted).toBe(30);
    expect(budget.inFlight).toBe(150);
  });

  it('serves waiters in arrival order', async () => {
    const budget = new RecordBudget(10);
    await budget.acquire(10);
    const order: string[] = [];
    const a = budget.acquire(5).then(() => order.push('a'));
    const b = budget.acquire(5).then(() => order.push('b'));
    budget.release(10);
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
  });

  it('gives up waiting when the consumer stops', async () => {
    const budget = new RecordBudget(1);
    await budget.acquire(1);
    const stop = new AbortController();
    const waiting = budget.acquire(1, stop.signal);
    stop.abort();
    await expect(waiting).rejects.toBeInstanceOf(BudgetWaitAborted);
    budget.release(1);
    expect(budget.inFlight).toBe(0);
  });
});
