import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { AuthError, Identity, UNAUTHENTICATED } from '@plant/auth';
import { GatewayAuthenticator } from './gateway-authenticator';
import { endAtExpiry, tokenExpiredResult } from './subscription-expiry';

/** The GraphQL context key of the verified caller (contract: `context.identity`). */
export const IDENTITY = 'identity';
export type IdentityContext = { [IDENTITY]?: Identity };

/**
 * Authentication at the gateway. HTTP (queries, mutations, SSE subscriptions): the bearer token is
 * verified before anything else and a missing or bad one ends the request with HTTP 401 and an
 * UNAUTHENTICATED error; graphql-ws connections are verified at `connection_init` (graphql-ws.server.ts)
 * and arrive here with `identity` already in the context. Every client subscription ends when the
 * caller's token expires.
 */
export function useAuthentication(auth: GatewayAuthenticator): GatewayPlugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      return auth.authenticate(request.headers.get('authorization')).then(
        (identity) => void verifiedRequests.set(request, identity),
        (err: unknown) => endResponse(unauthenticatedResponse(fetchAPI.Response, err)),
      );
    },
    onContextBuilding({ context, extendContext }) {
      if ((context as IdentityContext)[IDENTITY]) return;
      const identity = identityOfContext(context);
      if (identity) extendContext({ [IDENTITY]: identity } as never);
    },
    onExecute({ args, setResultAndStopExecution }) {
      // A graphql-ws connection outlives its token: operations sent after the token expired are refused.
      const identity = identityOfContext(args.contextValue);
      if (identity && identity.expiresAt <= Date.now()) setResultAndStopExecution(tokenExpiredResult('the operation was not run'));
    },
    onSubscribe({ args }) {
      const identity = identityOfContext(args.contextValue);
      if (!identity || !auth.required) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(endAtExpiry(result, identity.expiresAt) as never);
        },
      };
    },
  };
}

/** Identities verified in `onRequest`, by request (the context is built later, by other plugins too). */
const verifiedRequests = new WeakMap<Request, Identity>();

/**
 * The caller of a context: set at graphql-ws `connection_init`, or verified for its HTTP request.
 * Other plugins (generic-auth's user resolution) may build their part of the context before ours.
 */
export function identityOfContext(context: unknown, request?: Request): Identity | undefined {
  const ctx = (context ?? {}) as IdentityContext & { request?: Request };
  const req = request ?? ctx.request;
  return ctx[IDENTITY] ?? (req ? verifiedRequests.get(req) : undefined);
}

export function unauthenticatedBody(err: unknown): string {
  const message = err instanceof AuthError ? err.reason : 'access token could not be verified';
  return JSON.stringify({ errors: [{ message, extensions: { code: UNAUTHENTICATED } }] });
}

function unauthenticatedResponse(ResponseImpl: typeof Response, err: unknown): Response {
  return new ResponseImpl(unauthenticatedBody(err), {
    status: 401,
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' },
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<never> {
  return value != null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}
