import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { bearer } from '../../../test/support/auth-tokens';

/** A graphql-ws client subscription that records what arrives, for assertions. */
export class SubscriptionProbe<T = any> {
  readonly events: T[] = [];
  error?: unknown;
  completed = false;
  private readonly client: Client;
  private readonly unsubscribe: () => void;
  private waiters: (() => void)[] = [];

  /** `connectionParams` default to an admin's token; pass `{}` to connect without credentials. */
  constructor(url: string, query: string, connectionParams?: Record<string, unknown>, retryAttempts = 0) {
    const params = connectionParams ?? (async () => ({ authorization: (await bearer('admin')).authorization }));
    this.client = createClient({ url, webSocketImpl: WebSocket, connectionParams: params, retryAttempts, lazy: true });
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
        throw new Error(`${what} not met in ${timeoutMs} ms; events=${JSON.stringify(this.events)} error=${describe(this.error)}`);
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

/** graphql-ws errors are GraphQL error arrays or close events: show what matters of either. */
function describe(error: unknown): string {
  if (error === undefined) return 'none';
  const close = error as { code?: number; reason?: string };
  if (typeof close.code === 'number') return `closed ${close.code} ${close.reason ?? ''}`;
  return JSON.stringify(error);
}
