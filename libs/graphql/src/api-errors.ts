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
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** An argument the client sent is invalid (id, cursor, page size, argument combination). */
export class InvalidArgumentError extends Error {
  override readonly name = 'InvalidArgumentError';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** The entity the client named does not exist. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} "${id}" not found`);
  }
}

/**
 * Error names the store adapters use for "the backend did not answer" (their SDK errors mapped
 * to named errors, see libs/adapters) plus the Node socket codes an unreachable endpoint produces,
 * so an outage becomes UNAVAILABLE (retry later) rather than an internal error.
 */
const UNAVAILABLE_NAMES = new Set(['StoreUnavailableError', 'KpiStoreUnavailableError', 'TimeoutError', 'ThrottlingException']);
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/** Names errors get when a client-supplied value (id, cursor, duration) is refused; matched by name across libs. */
const BAD_INPUT_NAMES = new Set(['InvalidCursorError', 'InvalidArgumentError']);

function isUnavailable(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 4) return false;
  const code = (err as { code?: unknown }).code;
  if (UNAVAILABLE_NAMES.has(err.name) || (typeof code === 'string' && UNAVAILABLE_SOCKET_CODES.has(code))) return true;
  return isUnavailable(err.cause, depth + 1);
}

/** Maps an error thrown by a resolver (or anything below it) to the code a client should see. */
export function errorCodeOf(err: unknown): ErrorCode {
  if (err instanceof NotFoundError) return ErrorCodes.NOT_FOUND;
  if (err instanceof Error && BAD_INPUT_NAMES.has(err.name)) return ErrorCodes.BAD_USER_INPUT;
  if (isUnavailable(err)) return ErrorCodes.UNAVAILABLE;
  return ErrorCodes.INTERNAL_SERVER_ERROR;
}

/** Messages that replace the original: they could carry backend details. */
export interface PublicMessages {
  unavailable: string;
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
  return { message, locations: formatted.locations, path: formatted.path, extensions: { ...extensions, code } };
}

/** An error for graphql-ws subscription setup, which does not pass through Apollo's formatError. */
export function toGraphQLError(err: unknown, messages: PublicMessages): GraphQLError {
  const code = errorCodeOf(err);
  return new GraphQLError(publicMessage(code, err, messages), { extensions: { code } });
}

function publicMessage(code: ErrorCode, err: unknown, messages: PublicMessages): string {
  switch (code) {
    case 'UNAVAILABLE':
      return messages.unavailable;
    case 'INTERNAL_SERVER_ERROR':
      return 'Internal server error';
    case 'BAD_USER_INPUT':
    case 'NOT_FOUND':
      return err instanceof Error ? err.message : String(err);
  }
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
