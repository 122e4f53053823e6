/** A credential the API refuses; `reason` is safe to show to the caller (it names no secret). */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The GraphQL error code of every authentication failure (HTTP 401, graphql-ws close 4401). */
export const UNAUTHENTICATED = 'UNAUTHENTICATED';
/** Close code of a graphql-ws connection whose `connection_init` carried no valid token. */
export const WS_CLOSE_UNAUTHORIZED = 4401;
