import { ConflictError, DomainError, UnavailableError, type UnavailableReason } from '@plant/domain';

/*
 * The one place that reads AWS SDK v3 (and HTTP/socket) errors: by `name`, `code`, `$retryable`
 * and `$metadata.httpStatusCode`, duck-typed on purpose (socket errors come from Node's core and
 * under jest's VM sandbox, or with two copies of a client, `instanceof` is false for them). Every
 * other layer acts on the domain errors this returns (libs/domain/src/errors).
 */

const REASON_BY_NAME: Record<string, UnavailableReason> = {
  ThrottlingException: 'throttled',
  Throttling: 'throttled',
  ThrottledException: 'throttled',
  ProvisionedThroughputExceededException: 'throttled',
  RequestLimitExceeded: 'throttled',
  LimitExceededException: 'throttled',
  TooManyRequestsException: 'throttled',
  KMSThrottlingException: 'throttled',
  SlowDown: 'throttled',
  PriorRequestNotComplete: 'throttled',
  TransactionInProgressException: 'throttled',
  ServiceUnavailable: 'server-error',
  ServiceUnavailableException: 'server-error',
  InternalFailure: 'server-error',
  RequestTimeout: 'timeout',
  RequestTimeoutException: 'timeout',
  TimeoutError: 'timeout',
  AbortError: 'timeout',
  // Missing resources, permissions and credentials: no request content is to blame, and the fix is
  // the deployment's, so they pass once an operator acts (the stream consumer waits for it).
  ResourceNotFoundException: 'missing-resource',
  AccessDeniedException: 'access-denied',
  UnrecognizedClientException: 'access-denied',
  InvalidSignatureException: 'access-denied',
  ExpiredTokenException: 'access-denied',
  InvalidClientTokenId: 'access-denied',
  MissingAuthenticationToken: 'access-denied',
  CredentialsProviderError: 'access-denied',
};

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

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * The domain error an SDK (or HTTP) error means, or the error itself when it means none of them
 * (validation errors and other refusals of the request's content stay as the service named them):
 * - ConditionalCheckFailedException → ConflictError;
 * - throttling, timeouts, no connection, 429 and 5xx, missing resources and credentials → UnavailableError.
 */
export function toDomainError(error: unknown, service: string): unknown {
  if (error instanceof DomainError || typeof error !== 'object' || error === null) return error;
  const e = error as ErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  if (name === 'ConditionalCheckFailedException') return new ConflictError(`${service}: condition failed`, { cause: error });
  const reason = unavailableReasonOf(e, name);
  return reason ? new UnavailableError(service, reason, { cause: error, detail: name || undefined }) : error;
}

/** `promise.catch(rethrowAsDomainError('dynamodb'))`: an adapter's calls fail with domain errors. */
export function rethrowAsDomainError(service: string): (error: unknown) => never {
  return (error) => {
    throw toDomainError(error, service);
  };
}

function unavailableReasonOf(e: ErrorShape, name: string): UnavailableReason | undefined {
  const byName = REASON_BY_NAME[name];
  if (byName) return byName;
  // The SDK marks throttling and transient errors it gave up on as retryable.
  if (e.$retryable) return 'throttled';
  const status = e.$metadata?.httpStatusCode;
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 500) return 'server-error';
  if (isNetworkError(e) || (e.cause !== undefined && e.cause !== e && isNetworkError(e.cause as ErrorShape))) return 'unreachable';
  // An SDK call that got no HTTP answer at all.
  if (e.$metadata && status === undefined) return 'unreachable';
  return undefined;
}

function isNetworkError(e: ErrorShape | undefined): boolean {
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /socket hang up|connect ECONNREFUSED|read ECONNRESET/.test(e.message);
}
