import { buildGraphQLWSExecutor } from '@graphql-tools/executor-graphql-ws';
import type { Transport } from '@graphql-mesh/transport-common';
import { makeAsyncDisposable } from '@graphql-mesh/utils';
import type { ExecutionRequest } from '@graphql-tools/utils';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Identity, INTERNAL_IDENTITY_HEADER, scopeKeyOf } from '@plant/auth';
import { identityOfContext } from './authentication.plugin';

export interface UpstreamWsOptions {
  /** Ping interval; a ping without pong within the same interval drops the socket so it reconnects. */
  keepAliveMs: number;
  /** Reconnect attempts before the gateway fails the affected subscriptions with an error. */
  retryAttempts: number;
  /** Signs the internal identity each (re-)connection presents in its `connection_init`. */
  internalToken: (identity: Identity) => string | Promise<string>;
  onConnectionEvent?: (subgraph: string, event: 'connected' | 'closed' | 'error') => void;
}

const MAX_RETRY_DELAY_MS = 4_000;

/**
 * WebSocket transport to subgraph subscriptions, replacing `@graphql-mesh/transport-ws` because the
 * latter builds its graphql-ws client without retry or keep-alive settings (5 retries with a backoff
 * that reaches 30 s+ and no dead-socket detection). Here:
 * - one graphql-ws connection per subgraph and caller scope (role and plants), whose connection-init
 *   payload carries the signed internal identity (signed afresh at every re-connect); subscriptions of
 *   callers with the same scope multiplex over it, callers with different scopes never share one;
 * - after a lost connection the client re-connects with a short capped backoff and re-subscribes
 *   (a restarted subgraph resumes the stream); when the retries run out the error reaches the client;
 * - pings every `keepAliveMs`, and a missing pong terminates the socket (half-open TCP otherwise
 *   stalls a subscription silently).
 */
export function createUpstreamWsTransport(options: UpstreamWsOptions): Transport {
  return {
    getSubgraphExecutor({ transportEntry }) {
      const location = transportEntry.location;
      if (!location) throw new Error(`subgraph ${transportEntry.subgraph}: no location for WebSocket subscriptions`);
      const url = location.replace(/^http/, 'ws');
      const executors = new Map<string, ReturnType<typeof buildGraphQLWSExecutor>>();

      const executor = (request: ExecutionRequest) => {
        const identity = identityOfContext(request.context ?? {});
        const key = identity ? scopeKeyOf(identity) : '';
        let wsExecutor = executors.get(key);
        if (!wsExecutor) {
          const connectionParams = async () => (identity ? { [INTERNAL_IDENTITY_HEADER]: await options.internalToken(identity) } : {});
          const client = createSubgraphClient(url, transportEntry.subgraph, connectionParams, options, () => executors.delete(key));
          wsExecutor = buildGraphQLWSExecutor(client);
          executors.set(key, wsExecutor);
        }
        return wsExecutor(request);
      };
      return makeAsyncDisposable(executor, async () => {
        await Promise.all([...executors.values()].map((e) => e[Symbol.asyncDispose]?.()));
        executors.clear();
      });
    },
  };
}

function createSubgraphClient(
  url: string,
  subgraph: string,
  connectionParams: () => Promise<Record<string, unknown>>,
  options: UpstreamWsOptions,
  onDisposed: () => void,
): Client {
  let pongTimer: NodeJS.Timeout | undefined;
  let socket: WebSocket | undefined;
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: true,
    // Keep the connection a little after the last subscription ends: clients re-subscribe often.
    lazyCloseTimeout: 3_000,
    keepAlive: options.keepAliveMs,
    retryAttempts: options.retryAttempts,
    // Any loss of the socket (crash, restart, deploy) is worth re-trying; fatal protocol codes are
    // still thrown by graphql-ws itself.
    shouldRetry: () => true,
    retryWait: (retries) =>
      new Promise((resolve) =>
        setTimeout(resolve, Math.min(250 * 2 ** retries, MAX_RETRY_DELAY_MS) + Math.floor(Math.random() * 250)),
      ),
    connectionParams,
    on: {
      connected: (s) => {
        socket = s as WebSocket;
        options.onConnectionEvent?.(subgraph, 'connected');
      },
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => socket?.terminate(), options.keepAliveMs);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
      closed: () => {
        clearTimeout(pongTimer);
        socket = undefined;
        options.onConnectionEvent?.(subgraph, 'closed');
      },
      error: () => options.onConnectionEvent?.(subgraph, 'error'),
    },
  });
  const dispose = client.dispose.bind(client);
  client.dispose = () => {
    clearTimeout(pongTimer);
    onDisposed();
    return dispose();
  };
  return client;
}
