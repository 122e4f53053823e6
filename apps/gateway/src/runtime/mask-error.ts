import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';

/** Error code for a subgraph the gateway could not reach (Apollo's name for it, which clients know). */
export const DOWNSTREAM_SERVICE_ERROR = 'DOWNSTREAM_SERVICE_ERROR';

/**
 * Codes the runtime gives a subgraph request that got no GraphQL answer: a socket error or an HTTP
 * error without a GraphQL body (SUBREQUEST_HTTP_ERROR), the upstream timeout (GATEWAY_TIMEOUT).
 */
const TRANSPORT_CODES = new Set(['SUBREQUEST_HTTP_ERROR', 'GATEWAY_TIMEOUT', DOWNSTREAM_SERVICE_ERROR]);
/** Extensions the runtime adds for its own diagnostics; never shown to a client. */
const INTERNAL_EXTENSIONS = new Set(['serviceName', 'request', 'response', 'http', 'stacktrace', 'exception']);

/**
 * Masks errors before they reach a client. An error a subgraph answered with (a GraphQL error in
 * its response, carrying the subgraph's own code: BAD_USER_INPUT, NOT_FOUND, …) passes unchanged,
 * without the runtime's diagnostic extensions; a subgraph that could not be reached (connection
 * refused, timeout, 5xx without a GraphQL body) becomes DOWNSTREAM_SERVICE_ERROR naming it;
 * anything else is "Unexpected error." with INTERNAL_SERVER_ERROR. Never a request body or stack,
 * whatever NODE_ENV says.
 */
export function maskGatewayError(error: unknown, message: string): Error {
  const serviceName = subgraphOf(error);
  if (serviceName && error instanceof GraphQLError) {
    if (isSubgraphAnswer(error)) return passThrough(error);
    return new GraphQLError(`Subgraph "${serviceName}" is unavailable.`, {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: DOWNSTREAM_SERVICE_ERROR, serviceName },
    });
  }
  return yogaMaskError(error, message, false);
}

/**
 * The runtime marks transport failures with the subgraph request (`extensions.request`), a
 * transport code, or the socket error as `originalError`; an error from a subgraph's GraphQL
 * response has none of these and carries the subgraph's own code.
 */
function isSubgraphAnswer(error: GraphQLError): boolean {
  const { code, request, response } = error.extensions;
  if (request !== undefined || response !== undefined) return false;
  if (typeof code !== 'string' || TRANSPORT_CODES.has(code)) return false;
  return error.originalError === undefined || error.originalError === null || error.originalError instanceof GraphQLError;
}

function passThrough(error: GraphQLError): GraphQLError {
  const extensions = Object.fromEntries(Object.entries(error.extensions).filter(([key]) => !INTERNAL_EXTENSIONS.has(key)));
  return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions });
}

function subgraphOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const extensions = (e as { extensions?: Record<string, unknown> }).extensions;
    if (typeof extensions?.serviceName === 'string') return extensions.serviceName;
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}
