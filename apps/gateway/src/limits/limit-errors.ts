import { GraphQLError } from 'graphql';

/**
 * `extensions.code` of every limit the gateway enforces. Apollo Router's names where it has one
 * (MAX_*_LIMIT, COST_ESTIMATED_TOO_EXPENSIVE), so clients written against a router know them.
 */
export const LimitCodes = {
  MAX_DEPTH_LIMIT: 'MAX_DEPTH_LIMIT',
  MAX_ALIASES_LIMIT: 'MAX_ALIASES_LIMIT',
  MAX_ROOT_FIELDS_LIMIT: 'MAX_ROOT_FIELDS_LIMIT',
  MAX_TOKENS_LIMIT: 'MAX_TOKENS_LIMIT',
  MAX_DIRECTIVES_LIMIT: 'MAX_DIRECTIVES_LIMIT',
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  RATE_LIMITED: 'RATE_LIMITED',
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  GATEWAY_TIMEOUT: 'GATEWAY_TIMEOUT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  BAD_REQUEST: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  PERSISTED_QUERY_REQUIRED: 'PERSISTED_QUERY_REQUIRED',
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
} as const;
export type LimitCode = (typeof LimitCodes)[keyof typeof LimitCodes];

/** A request-level error with its code and the HTTP status Yoga should answer with. */
export function limitError(code: LimitCode, message: string, status = 400, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra, http: { status } } });
}

/** The JSON body of an error answered outside GraphQL execution (rate limit, body size). */
export function errorBody(code: LimitCode, message: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
