import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { AuthError, ExpiringCache, Identity, INTERNAL_IDENTITY_HEADER, UNAUTHENTICATED, verifyInternalIdentity } from '@plant/auth';
import { graphqlWsErrorFormatting, PublicMessages } from './api-errors';

/**
 * What Apollo passes to a subgraph's context function: `{ req }` per HTTP operation, the graphql-ws
 * context (`{ connectionParams, extra: { request } }`) once per subscription.
 */
export type SubgraphTransport = { req?: IncomingMessage; res?: ServerResponse; extra?: { request?: IncomingMessage; identity?: Identity } };

/**
 * The subgraph side of gateway → subgraph trust, shared by every subgraph: the only identity a
 * subgraph accepts is the gateway's signed internal header (HTTP) or the same token in the
 * `connection_init` payload (graphql-ws). Without a valid one: HTTP 401 with UNAUTHENTICATED, or the
 * WebSocket is closed with 4403 before any subscription. `/health*` and `/metrics` are Nest routes
 * outside GraphQL and stay open. Verified tokens are cached until they expire.
 */
export class SubgraphAuth {
  private readonly verified = new ExpiringCache<Identity>();

  constructor(private readonly internalSecret: string) {}

  async identityOf(token: unknown): Promise<Identity> {
    if (typeof token !== 'string' || token.length === 0) throw new AuthError(`missing ${INTERNAL_IDENTITY_HEADER}: call the API through the gateway`);
    const cached = this.verified.get(token);
    if (cached) return cached;
    const identity = await verifyInternalIdentity(token, this.internalSecret);
    // The token's own expiry is checked by jose; keep it a minute at most (it lives two).
    this.verified.set(token, identity, Date.now() + 60_000);
    return identity;
  }

  /** For the Apollo context function of both transports. */
  async identityOfTransport(transport: SubgraphTransport): Promise<Identity> {
    if (transport.req === undefined) {
      const identity = transport.extra?.identity;
      if (!identity) throw unauthenticated(new AuthError('subscription without a verified connection'));
      return identity;
    }
    const header = transport.req.headers[INTERNAL_IDENTITY_HEADER];
    try {
      return await this.identityOf(Array.isArray(header) ? header[0] : header);
    } catch (err) {
      throw unauthenticated(err);
    }
  }

  /** graphql-ws options: verification at `connection_init` plus the error formatting of subscriptions. */
  graphqlWsOptions(messages: PublicMessages): GraphQLWsSubscriptionsConfig {
    const onConnect: ServerOptions['onConnect'] = async (ctx) => {
      try {
        (ctx.extra as { identity?: Identity }).identity = await this.identityOf(ctx.connectionParams?.[INTERNAL_IDENTITY_HEADER]);
        return true;
      } catch {
        return false;
      }
    };
    return { ...graphqlWsErrorFormatting(messages), onConnect } as GraphQLWsSubscriptionsConfig;
  }
}

function unauthenticated(err: unknown): GraphQLError {
  const message = err instanceof AuthError ? err.reason : 'internal identity could not be verified';
  return new GraphQLError(message, { extensions: { code: UNAUTHENTICATED, http: { status: 401 } } });
}
