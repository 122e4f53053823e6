import { ConflictError, DomainError, PartialFailureError, UnavailableError } from '@plant/domain';
import { toDomainError } from './sdk-errors';

/**
 * How a failed sink write is handled by the stream consumer (docs/stream-consumer.md, "Retries and
 * bisection"):
 * - `transient`: the backend is busy, slow, unreachable or unusable as configured. Nothing in the
 *   batch is to blame, so the batch is retried with backoff for as long as it takes and no record is
 *   ever dead-lettered for it.
 * - `record`: the backend answered, and refused what it was given (validation, a record too large,
 *   a value it cannot represent). A record of the batch may be the cause: after the configured
 *   attempts the batch is bisected until the failing records are found.
 */
export type FailureClass = 'transient' | 'record';

/**
 * 5xx answers other than these are transient. `InternalServerException` is what Timestream and
 * DynamoDB answer when a request fails on the server; the SDK has already retried it (standard
 * retry mode, 3 attempts) by the time we see it, so one that persists is treated as caused by
 * the request's content and leads to bisection (see the doc for what this costs when it is not).
 */
const RECORD_5XX_NAMES = new Set(['InternalServerException', 'InternalServerError']);

/** Classifies an error thrown by an AWS SDK v3 call or by one of our adapters, through its domain error. */
export function classifyFailure(error: unknown): FailureClass {
  const domain = toDomainError(error, 'sink');
  // A conflict that outlives the consumer's attempts (another writer keeps moving the item) is
  // bisected like a record failure rather than retried for ever.
  if (domain instanceof ConflictError) return 'record';
  if (domain instanceof UnavailableError) return domain.reason === 'server-error' && RECORD_5XX_NAMES.has(nameOf(domain.cause)) ? 'record' : 'transient';
  if (domain instanceof PartialFailureError || domain instanceof DomainError) return domain.retryable ? 'transient' : 'record';
  return 'record';
}

function nameOf(error: unknown): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
}
