import { classifyFailure } from '@plant/adapters';
import type { FailureClass } from '@plant/stream-consumer';
import type { SinkName } from './sink-metrics';

/** Longest reason the router writes into a dead letter of its own (the error text of a failed write). */
export const MAX_ISOLATION_REASON_CHARS = 1_000;

/** A sink write that failed: names the sink (the dead-letter stage of an isolated record) and keeps the cause. */
export class SinkWriteError extends Error {
  constructor(
    readonly sink: SinkName,
    override readonly cause: unknown,
  ) {
    super(`${sink}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'SinkWriteError';
  }
}

/** Transient or record failure (docs/stream-consumer.md); a failure outside a sink write (planning) is a record failure. */
export function classifySinkFailure(error: unknown): FailureClass {
  return classifyFailure(error instanceof SinkWriteError ? error.cause : error);
}

/** Stage and capped reason of the dead letter of a record isolated because of `error`. */
export function isolationLetterOf(error: unknown): { stage: string; reason: string } {
  const stage = error instanceof SinkWriteError ? error.sink : 'router';
  const cause = error instanceof SinkWriteError ? error.cause : error;
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  const reason = `failed alone after bisection: ${text}`;
  return { stage, reason: reason.length > MAX_ISOLATION_REASON_CHARS ? `${reason.slice(0, MAX_ISOLATION_REASON_CHARS)}… (truncated)` : reason };
}
