import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client subscription that records what arrives, for assertions. */
export class SubscriptionProbe<T = any> {
  readonly events: T[] = [];
  error?: unknown;
  completed = false;
  private readonly client: Client;
  private readonly unsubscribe: () => void;
  private waiters: (() => void)[] = [];

  constructor(url: string, query: string, connectionParams: Record<string, unknown> = {}, retryAttempts = 0) {
    this.client = createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts, lazy: true });
    this.unsubscribe = this.client.subscribe<T>(
      { query },
      {
        next: (value) => this.record(() => this.events.push(value as T)),
        error: (err) => this.record(() => (this.error = err)),
        complete: () => this.record(() => (this.completed = true)),
      },
    );
  }

  /** Resolves when `predicate` holds, rejects after `timeoutMs` with what was seen. */
  async until(predicate: (p: this) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`${what} not met in ${timeoutMs} ms; events=${JSON.stringify(this.events)} error=${String(this.error)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  untilEvents(n: number, timeoutMs?: number): Promise<void> {
    return this.until((p) => p.events.length >= n, timeoutMs, `${n} events`);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.client.dispose();
  }

  private record(change: () => void): void {
    change();
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }
}
