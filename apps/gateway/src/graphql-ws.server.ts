import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getGraphQLWSOptions, GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { normalizeNodeRequest } from '@whatwg-node/server';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authorizationOfConnection, FORWARDED_AUTHORIZATION } from './runtime/forward-authorization.plugin';

export interface GraphQLWsEndpoint {
  close(): Promise<void>;
  clientCount(): number;
}

/**
 * Serves graphql-ws (`graphql-transport-ws`) on the gateway's HTTP server: upgrades to `path` are
 * handed to the Hive runtime, other upgrade paths are refused. The server pings every client each
 * `keepAliveMs` and drops one that does not answer, which ends its subscriptions upstream too.
 */
export function attachGraphQLWs(server: Server, runtime: GatewayRuntime, path: string, keepAliveMs: number): GraphQLWsEndpoint {
  const wss = new WebSocketServer({ noServer: true });
  const options = getGraphQLWSOptions<Record<string, unknown>, { request: IncomingMessage; socket: unknown }>(
    runtime as never,
    (ctx) => ({
      req: ctx.extra.request,
      socket: ctx.extra.socket,
      // The runtime keys per-request state by the fetch Request, so every operation needs one.
      request: normalizeNodeRequest(ctx.extra.request, runtime.fetchAPI),
      [FORWARDED_AUTHORIZATION]: authorizationOfConnection(ctx.connectionParams, ctx.extra.request.headers),
    }),
  );
  const disposable = useServer(options as never, wss, keepAliveMs);

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
