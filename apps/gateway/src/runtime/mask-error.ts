import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';

/** Error code for a subgraph the gateway could not reach (Apollo's name for it, which clients know). */
export const DOWNSTREAM_SERVICE_ERROR = 'DOWNSTREAM_SERVICE_ERROR';

/**
 * Masks unexpected errors before they reach a client. Errors that subgraphs returned pass unchanged
 * (they carry the subgraph's own codes); a failure to reach a subgraph becomes
 * DOWNSTREAM_SERVICE_ERROR naming the subgraph; anything else is "Unexpected error." with
 * INTERNAL_SERVER_ERROR. Never the original message, request body or stack, whatever NODE_ENV says.
 */
export function maskGatewayError(error: unknown, message: string): Error {
  const serviceName = subgraphOf(error);
  if (serviceName && error instanceof GraphQLError) {
    return new GraphQLError(`Subgraph "${serviceName}" is unavailable.`, {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: DOWNSTREAM_SERVICE_ERROR, serviceName },
    });
  }
  return yogaMaskError(error, message, false);
}

function subgraphOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const extensions = (e as { extensions?: Record<string, unknown> }).extensions;
    if (typeof extensions?.serviceName === 'string') return extensions.serviceName;
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}
