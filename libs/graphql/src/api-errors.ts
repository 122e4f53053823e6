import { IntrinsicException } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';

/**
 * Error codes clients can switch on (`extensions.code`). Apollo's own codes (GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT for variable coercion) pass through unchanged.
 */
export const ErrorCodes = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAVAILABLE: 'UNAVAILABLE',
  /** The request ran past the subgraph's deadline, or its caller cancelled it. */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/*
 * Client errors extend IntrinsicException so NestJS's exception handler does not log them as
 * server errors with a stack trace; backend and unexpected errors are still logged.
 */

/** An argument the client sent is invalid (id, cursor, page size, argument combination). */
export class InvalidArgumentError extends IntrinsicException {
  override readonly name = 'InvalidArgumentError';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** The entity the client named does not exist. */
export class NotFoundError extends IntrinsicException {
  override readonly name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} "${id}" not found`);
  }
}

/** The caller's identity does not allow this (e.g. a subscription to another plant's events). */
export class ForbiddenError extends IntrinsicException {
  override readonly name = 'ForbiddenError';
}

/**
 * "The backend did not answer": the Node socket codes an unreachable endpoint produces, and the
 * names of AWS's transient errors (throttling, 5xx; matched by name so that this layer imports no
 * SDK), so an outage becomes UNAVAILABLE (retry later) rather than an internal error.
 */
const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/** Names adapters use when a client-supplied value (e.g. a page cursor) cannot be decoded. */
const BAD_INPUT_NAMES = new Set(['InvalidCursorError', 'InvalidArgumentError']);

/**
 * Duck-typed on purpose: socket errors come from Node's core, and under jest's VM sandbox (or
 * with two copies of a library) `instanceof Error` is false for them.
 */
interface ErrorLike {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  /** Set on every AWS SDK v3 error; `httpStatusCode` only when the service answered. */
  $metadata?: { httpStatusCode?: number };
}
function errorLike(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : {};
}

function isUnavailable(err: unknown, depth = 0): boolean {
  const { name, code, cause, $metadata } = errorLike(err);
  if (depth > 4 || typeof err !== 'object' || err === null) return false;
  if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
  if (typeof code === 'string' && UNAVAILABLE_SOCKET_CODES.has(code)) return true;
  // An SDK call that got no HTTP answer at all, or a 5xx: AWS (or the network) is the problem.
  if ($metadata && ($metadata.httpStatusCode === undefined || $metadata.httpStatusCode >= 500)) return true;
  return isUnavailable(cause, depth + 1);
}

/** Maps an error thrown by a resolver (or anything below it) to the code a client should see. */
export function errorCodeOf(err: unknown): ErrorCode {
  const { name } = errorLike(err);
  if (err instanceof NotFoundError) return ErrorCodes.NOT_FOUND;
  if (err instanceof ForbiddenError) return ErrorCodes.FORBIDDEN;
  if (typeof name === 'string' && BAD_INPUT_NAMES.has(name)) return ErrorCodes.BAD_USER_INPUT;
  if (name === 'RequestDeadlineError') return ErrorCodes.DEADLINE_EXCEEDED;
  if (isUnavailable(err)) return ErrorCodes.UNAVAILABLE;
  return ErrorCodes.INTERNAL_SERVER_ERROR;
}

/** What a subgraph tells clients instead of a backend error's own message (it may carry backend details). */
export interface PublicMessages {
  /** e.g. "The KPI store is unavailable; retry later" */
  unavailable: string;
}

function publicMessage(code: ErrorCode, err: unknown, messages: PublicMessages): string {
  switch (code) {
    case 'UNAVAILABLE':
      return messages.unavailable;
    case 'INTERNAL_SERVER_ERROR':
      return 'Internal server error';
    case 'BAD_USER_INPUT':
    case 'NOT_FOUND':
    case 'FORBIDDEN':
    case 'DEADLINE_EXCEEDED':
      return messageOf(err);
  }
}

/**
 * Apollo `formatError`: every error leaves with an `extensions.code` and without a stack trace;
 * messages of unexpected errors are replaced (they may carry backend details), those of our own
 * argument and not-found errors are kept because they tell the client what to fix.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown, messages: PublicMessages): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  const existingCode = formatted.extensions?.code;
  const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
  // Errors raised by GraphQL itself (parse, validation, variable coercion) or already coded by
  // Apollo keep their code; only errors from our own code below the resolvers are classified here.
  const alreadyCoded = existingCode !== undefined && existingCode !== ErrorCodes.INTERNAL_SERVER_ERROR;
  if (!original || original instanceof GraphQLError || alreadyCoded) {
    return { ...formatted, extensions: { ...extensions, code: existingCode ?? ErrorCodes.INTERNAL_SERVER_ERROR } };
  }
  const code = errorCodeOf(original);
  const message = publicMessage(code, original, messages);
  const { locations, path } = formatted;
  return { message, ...(locations && { locations }), ...(path && { path }), extensions: { ...extensions, code } };
}

/** An error for graphql-ws subscription setup, which does not pass through Apollo's formatError. */
export function toGraphQLError(err: unknown, messages: PublicMessages): GraphQLError {
  const code = errorCodeOf(err);
  const message = publicMessage(code, err, messages);
  return new GraphQLError(message, { extensions: { code } });
}

function messageOf(err: unknown): string {
  const { message } = (typeof err === 'object' && err !== null ? err : {}) as { message?: unknown };
  return typeof message === 'string' ? message : String(err);
}

/**
 * Subscription results bypass Apollo Server, so errors get the same codes and redaction here:
 * `onNext` for errors in events and in subscribe (bad arguments), `onError` for validation errors.
 * NestJS's type omits `onError` although it passes every option on to graphql-ws' useServer.
 */
export function graphqlWsErrorFormatting(messages: PublicMessages): GraphQLWsSubscriptionsConfig {
  return {
    onNext: (_ctx, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map((e) => formatGraphQLError(e.toJSON(), e, messages)) } : undefined,
    onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatGraphQLError(e.toJSON(), e, messages)),
  } satisfies Partial<ServerOptions> as GraphQLWsSubscriptionsConfig;
}
