/**
 * The few failures callers act on, as domain types: adapters translate SDK errors into them
 * (`libs/adapters/src/sdk-errors.ts`), the stream consumer decides retry or bisection from them,
 * and `libs/graphql` maps them to public GraphQL codes by `instanceof` (docs/aws-plumbing.md).
 * Plain `Error` subclasses: the domain imports no framework and no SDK.
 */
export abstract class DomainError extends Error {
  /** Whether the same request may succeed later without change (backoff and retry). */
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller gave a value that can never work (id, cursor, duration, argument combination); the message names it. */
export class InvalidArgumentError extends DomainError {
  readonly retryable = false;
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** The entity the caller named does not exist (or is not theirs to see). */
export class NotFoundError extends DomainError {
  readonly retryable = false;
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} "${id}" not found`);
  }
}

/**
 * A conditional write lost a race: someone else changed the item first (DynamoDB
 * ConditionalCheckFailed). Retryable after reading the item again.
 */
export class ConflictError extends DomainError {
  readonly retryable = true;
}

/** Why a backend did not serve the request; every one of them may pass by itself. */
export type UnavailableReason = 'throttled' | 'timeout' | 'unreachable' | 'server-error' | 'missing-resource' | 'access-denied';

/**
 * The backend did not serve the request for a reason no record is to blame for: throttling,
 * timeouts, no connection, a 5xx, or a deployment fault (missing resource, credentials). Retry with
 * backoff; never dead-letter for it. `cause` keeps the SDK error for logs.
 */
export class UnavailableError extends DomainError {
  readonly retryable = true;
  constructor(
    readonly service: string,
    readonly reason: UnavailableReason,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(`${service} unavailable (${reason})${options?.detail ? `: ${options.detail}` : ''}`, options);
  }
}

/** One entry a batch API still refused after its retries, with the service's code. */
export interface FailedEntryReason {
  code: string;
  message?: string;
}

/** Per-entry codes that mean "the service was busy", not "this entry is wrong". */
const BUSY_ENTRY_CODES = /^(ServiceUnavailableException|ServiceUnavailable|InternalFailure|ThrottlingException|ProvisionedThroughputExceededException|KMSThrottlingException|UnprocessedKeys)$/;

/**
 * A batch call (PutRecords, PutRecordBatch, PutEvents, BatchGetItem) kept refusing some entries
 * after the retries of `sendInBatches`. Retryable when the refusals were the service being busy;
 * otherwise an entry is to blame (the stream consumer bisects to find it).
 */
export class PartialFailureError extends DomainError {
  readonly retryable: boolean;
  readonly failedCount: number;
  /** One refusal as `code: message`, for logs and dead-letter reasons. */
  readonly sampleError: string;
  constructor(
    readonly service: string,
    readonly failed: readonly FailedEntryReason[],
  ) {
    const sample = failed[0] ? `${failed[0].code}: ${failed[0].message ?? ''}` : 'unknown';
    super(`${service}: ${failed.length} entries still failing after retries (${sample})`);
    this.failedCount = failed.length;
    this.sampleError = sample;
    this.retryable = failed.length > 0 && failed.every((f) => BUSY_ENTRY_CODES.test(f.code));
  }
}
