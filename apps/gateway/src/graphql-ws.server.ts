import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getGraphQLWSOptions, GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { normalizeNodeRequest } from '@whatwg-node/server';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { CONNECTION_AUTHORIZATION } from './limits/caller-key';
import { AuthError, Identity, WS_CLOSE_UNAUTHORIZED } from '@plant/auth';
import { IDENTITY } from './runtime/authentication.plugin';
import { GatewayAuthenticator } from './runtime/gateway-authenticator';

export interface GraphQLWsEndpoint {
  close(): Promise<void>;
  clientCount(): number;
}

/**
 * Serves graphql-ws (`graphql-transport-ws`) on the gateway's HTTP server: upgrades to `path` are
 * handed to the Hive runtime, other upgrade paths are refused. The server pings every client each
 * `keepAliveMs` and drops one that does not answer, which ends its subscriptions upstream too.
 *
 * Authentication happens once per connection, at `connection_init`: the `authorization` of its
 * payload first, the upgrade request's Authorization header second. A missing or bad token closes
 * the socket with 4401 and the reason; the verified identity is in the context of every operation.
 */
export function attachGraphQLWs(
  server: Server,
  runtime: GatewayRuntime,
  path: string,
  keepAliveMs: number,
  auth: GatewayAuthenticator,
): GraphQLWsEndpoint {
  const wss = new WebSocketServer({ noServer: true });
  type Extra = { request: IncomingMessage; socket: { close(code: number, reason: string): void }; identity?: Identity; authorization?: string };
  const options = getGraphQLWSOptions<Record<string, unknown>, Extra>(runtime as never, (ctx) => ({
    req: ctx.extra.request,
    socket: ctx.extra.socket,
    // The runtime keys per-request state by the fetch Request, so every operation needs one.
    request: normalizeNodeRequest(ctx.extra.request, runtime.fetchAPI),
    [IDENTITY]: ctx.extra.identity,
    [CONNECTION_AUTHORIZATION]: ctx.extra.authorization,
  }));
  const disposable = useServer(
    {
      ...(options as object),
      onConnect: async (ctx: { connectionParams?: Readonly<Record<string, unknown>>; extra: Extra }) => {
        try {
          ctx.extra.authorization = authorizationOfConnection(ctx.connectionParams, ctx.extra.request.headers);
          ctx.extra.identity = await auth.authenticate(ctx.extra.authorization);
          return true;
        } catch (err) {
          // A reason a client can act on; WebSocket close reasons are limited to 123 bytes.
          const reason = err instanceof AuthError ? err.reason : 'access token could not be verified';
          ctx.extra.socket.close(WS_CLOSE_UNAUTHORIZED, `Unauthorized: ${reason}`.slice(0, 123));
          return false;
        }
      },
    } as never,
    wss,
    keepAliveMs,
  );

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  return {
    clientCount: () => wss.clients.size,
    async close() {
      server.off('upgrade', onUpgrade);
      // dispose() closes every client with 1001 Going Away and completes their subscriptions.
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The Authorization value of a graphql-ws connection: connection-init payload first, upgrade header second. */
export function authorizationOfConnection(
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  upgradeHeaders: Record<string, string | string[] | undefined> | undefined,
): string | undefined {
  const fromParams = connectionParams?.authorization ?? connectionParams?.Authorization;
  if (typeof fromParams === 'string' && fromParams) return fromParams;
  const fromHeader = upgradeHeaders?.authorization;
  return typeof fromHeader === 'string' && fromHeader ? fromHeader : undefined;
}
