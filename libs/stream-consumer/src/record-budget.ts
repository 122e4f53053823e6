/** The wait for budget was given up because the shard consumer stopped. */
export class BudgetWaitAborted extends Error {
  constructor() {
    super('stopped while waiting for in-flight record budget');
    this.name = 'BudgetWaitAborted';
  }
}

/**
 * The global cap on records between GetRecords and the processor's acknowledgement, shared by every
 * shard consumer of a worker. A consumer reserves up to its GetRecords limit before polling (so the
 * cap holds even while reads are in the air), gives back what the read did not return, and gives
 * back the rest when the batch is acknowledged. When the cap is reached, polling waits: that is the
 * backpressure from slow sinks to Kinesis. Waiters are served in arrival order so no shard starves.
 */
export class RecordBudget {
  private used = 0;
  private readonly waiters: Array<{ max: number; grant: (n: number) => void }> = [];

  constructor(
    readonly capacity: number,
    private readonly onChange: (inFlight: number) => void = () => undefined,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`record budget must be a positive integer, got ${capacity}`);
  }

  get inFlight(): number {
    return this.used;
  }

  /** Resolves with a reservation of 1..max records once any budget is free. */
  acquire(max: number, signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(new BudgetWaitAborted());
    if (this.waiters.length === 0 && this.used < this.capacity) return Promise.resolve(this.grant(max));
    return new Promise<number>((resolve, reject) => {
      const waiter = { max, grant: resolve };
      this.waiters.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) {
            this.waiters.splice(at, 1);
            reject(new BudgetWaitAborted());
          }
        },
        { once: true },
      );
    });
  }

  release(count: number): void {
    if (count <= 0) return;
    this.used = Math.max(0, this.used - count);
    while (this.waiters.length > 0 && this.used < this.capacity) {
      const waiter = this.waiters.shift()!;
      waiter.grant(this.grant(waiter.max));
    }
    this.onChange(this.used);
  }

  private grant(max: number): number {
    const granted = Math.max(1, Math.min(max, this.capacity - this.used));
    this.used += granted;
    this.onChange(this.used);
    return granted;
  }
}
