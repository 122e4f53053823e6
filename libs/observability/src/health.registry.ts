import { Injectable } from '@nestjs/common';

/** A readiness probe of one backend an app depends on (a table, a stream, a subgraph). */
export interface HealthCheck {
  name: string;
  /** Resolves when the backend answers; rejects (or throws) with the reason when it does not. */
  check(): Promise<void>;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  app: string;
  uptimeSeconds: number;
  checks: Record<string, { status: 'ok' | 'failed'; latencyMs: number; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Collects the readiness checks that an app's modules register at boot. Liveness is the process
 * answering at all; readiness is every registered backend answering within the timeout.
 * Kept rather than `@nestjs/terminus` (not installed; issue 10 weighed it): what this does is a map
 * of probes, a timeout and a report (≈ 60 lines). Terminus would add a dependency and indicator
 * classes per backend while our probes are already plain functions (libs/aws readiness, sink and
 * consumer checks registered at run time), and its response shape (`info`/`error`/`details`)
 * differs from the documented `/health` body (`checks.<name>.{status,latencyMs,error}`) that
 * `npm start`'s supervisor, the tests and the README read.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly startedAt = Date.now();
  app = 'app';

  register(check: HealthCheck): void {
    this.checks.set(check.name, check);
  }

  async report(): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (c) => {
        const started = performance.now();
        try {
          await withTimeout(c.check(), CHECK_TIMEOUT_MS);
          return [c.name, { status: 'ok' as const, latencyMs: elapsed(started) }] as const;
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          return [c.name, { status: 'failed' as const, latencyMs: elapsed(started), error }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const ok = entries.every(([, r]) => r.status === 'ok');
    return {
      status: ok ? 'ok' : 'unavailable',
      app: this.app,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      checks,
    };
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
