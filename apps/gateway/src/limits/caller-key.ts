import { createHash } from 'node:crypto';

/**
 * Whom a rate limit or subscription cap counts against: the bearer token (a hash of the whole
 * Authorization value, never the token itself) or, without one, the client's IP address.
 */
export function callerKey(authorization: string | null | undefined, ip: string | undefined): { key: string; byToken: boolean } {
  if (authorization) return { key: `token:${createHash('sha256').update(authorization).digest('base64url')}`, byToken: true };
  return { key: `ip:${ip ?? 'unknown'}`, byToken: false };
}

/**
 * Context key of the Authorization value a graphql-ws connection was opened with (its
 * `connection_init` payload or upgrade header): subscriptions over WebSocket count against it.
 */
export const CONNECTION_AUTHORIZATION = 'connectionAuthorization';
