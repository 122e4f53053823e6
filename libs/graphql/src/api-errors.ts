import { IntrinsicException } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { InvalidArgumentError, NotFoundError, PartialFailureError, UnavailableError } from '@plant/domain';
import { RequestDeadlineError } from './request-deadline.plugin';

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

/** The caller's identity does not allow this (e.g. a subscription to another plant's events). */
export class ForbiddenError extends IntrinsicException {
  override readonly name = 'ForbiddenError';
}

/**
 * Maps an error thrown by a resolver (or anything below it) to the code a client should see, by
 * the domain error's class (libs/domain/src/errors): adapters have already translated SDK, HTTP
 * and socket errors (libs/adapters/src/sdk-errors.ts). A deployment fault (missing table,
 * credentials) is the server's, not a passing outage: INTERNAL_SERVER_ERROR.
 */
export function errorCodeOf(err: unknown): ErrorCode {
  if (err instanceof InvalidArgumentError) return ErrorCodes.BAD_USER_INPUT;
  if (err instanceof NotFoundError) return ErrorCodes.NOT_FOUND;
  if (err instanceof ForbiddenError) return ErrorCodes.FORBIDDEN;
  if (err instanceof RequestDeadlineError) return ErrorCodes.DEADLINE_EXCEEDED;
  if (err instanceof UnavailableError) return err.reason === 'missing-resource' || err.reason === 'access-denied' ? ErrorCodes.INTERNAL_SERVER_ERROR : ErrorCodes.UNAVAILABLE;
  if (err instanceof PartialFailureError && err.retryable) return ErrorCodes.UNAVAILABLE;
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
