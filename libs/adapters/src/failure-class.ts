import { PartialFailureError } from './concurrency';

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

/** Error names of throttling, overload and timeouts across the services we call (SDK v3 `name`). */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TooManyRequestsException',
  'KMSThrottlingException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
  'PriorRequestNotComplete',
  'TransactionInProgressException',
  // Missing resources, permissions and credentials: no record is to blame and dead-lettering the
  // stream until an operator fixes the deployment would lose nothing less than everything.
  'ResourceNotFoundException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
  'CredentialsProviderError',
]);

/**
 * 5xx answers other than these are transient. `InternalServerException` is what Timestream and
 * DynamoDB answer when a request fails on the server; the SDK has already retried it (standard
 * retry mode, 3 attempts) by the time we see it, so one that persists is treated as caused by
 * the request's content and leads to bisection (see the doc for what this costs when it is not).
 */
const RECORD_5XX_NAMES = new Set(['InternalServerException', 'InternalServerError']);

/** Socket-level failures: the backend cannot be reached at all. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Entry-level error codes of PutRecordBatch / PutEvents / PutRecords that mean "try again". */
const TRANSIENT_ENTRY_CODES = /^(ServiceUnavailableException|InternalFailure|ThrottlingException|ProvisionedThroughputExceededException|KMSThrottlingException)\b/;

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Classifies an error thrown by an AWS SDK v3 call or by one of our adapters. */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof PartialFailureError) return TRANSIENT_ENTRY_CODES.test(error.sampleError) ? 'transient' : 'record';
  if (typeof error !== 'object' || error === null) return 'record';
  const e = error as ErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  if (TRANSIENT_NAMES.has(name)) return 'transient';
  // The SDK marks throttling and transient errors it gave up on as retryable.
  if (e.$retryable) return 'transient';
  const status = e.$metadata?.httpStatusCode;
  if (status === 429) return 'transient';
  if (status !== undefined && status >= 500 && !RECORD_5XX_NAMES.has(name)) return 'transient';
  if (isNetworkError(e) || (e.cause !== undefined && e.cause !== error && isNetworkError(e.cause as ErrorShape))) return 'transient';
  return 'record';
}

function isNetworkError(e: ErrorShape | undefined): boolean {
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /socket hang up|connect ECONNREFUSED|read ECONNRESET/.test(e.message);
}
