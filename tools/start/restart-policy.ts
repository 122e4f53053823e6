/**
 * When `npm start` restarts a service that died, and when it stops trying. Pure: no timers, no
 * processes, so every rule is tested with plain numbers (restart-policy.spec.ts).
 *
 * - Exponential backoff: the n-th crash in a row waits `initialDelayMs × factor^(n-1)`, capped at
 *   `maxDelayMs`, so a service that fails at once does not spin a core re-running its start-up.
 * - A crash after `stableAfterMs` of healthy running starts the count again: a service that falls over
 *   once an hour (a hostile query that exhausts its heap) comes back after the first, short delay
 *   every time, and is never given up on.
 * - `maxCrashesInARow` crashes with no `stableAfterMs` of healthy running in between is a crash
 *   loop (a port taken, a broken build, a backend gone for good): the supervisor gives up on that
 *   service only and says so; the rest of the platform keeps running.
 */
export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  stableAfterMs: number;
  maxCrashesInARow: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  factor: 2,
  stableAfterMs: 60_000,
  maxCrashesInARow: 6,
};

/** What the supervisor knows of one service's crashes; starts as `{ crashesInARow: 0 }`. */
export interface CrashHistory {
  /** Crashes since the service last ran healthy for `stableAfterMs` (the latest one included). */
  crashesInARow: number;
}

export type RestartDecision =
  | { action: 'restart'; delayMs: number; history: CrashHistory }
  | { action: 'give-up'; history: CrashHistory };

/**
 * The decision after one exit. `healthyForMs` is how long the process had been healthy (its /health
 * answered 200, or it was alive, for a service without one) when it died; 0 if it never got there.
 */
export function decideRestart(policy: RestartPolicy, history: CrashHistory, healthyForMs: number): RestartDecision {
  const crashesInARow = healthyForMs >= policy.stableAfterMs ? 1 : history.crashesInARow + 1;
  const next = { crashesInARow };
  if (crashesInARow >= policy.maxCrashesInARow) return { action: 'give-up', history: next };
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (crashesInARow - 1));
  return { action: 'restart', delayMs, history: next };
}
