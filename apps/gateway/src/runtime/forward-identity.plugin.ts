import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { INTERNAL_IDENTITY_HEADER } from '@plant/auth';
import { identityOfContext } from './authentication.plugin';
import { GatewayAuthenticator } from './gateway-authenticator';

/**
 * Forwards the verified identity to every subgraph as the signed internal header, on HTTP subgraph
 * requests (queries, mutations and each subscription event's `_entities` fetches). Subgraph
 * subscriptions carry it in their `connection_init` (upstream-ws.transport.ts). The caller's own
 * Authorization header is never forwarded: subgraphs trust the gateway's signature only.
 */
export function useForwardIdentity(auth: GatewayAuthenticator): GatewayPlugin {
  return {
    onFetch({ context, options, setOptions }) {
      const identity = identityOfContext(context ?? {});
      if (!identity) return;
      const headers = { ...(options.headers as Record<string, string>) };
      delete headers.authorization;
      const token = auth.internalToken(identity);
      if (typeof token === 'string') return setOptions({ ...options, headers: { ...headers, [INTERNAL_IDENTITY_HEADER]: token } });
      return token.then((t) => setOptions({ ...options, headers: { ...headers, [INTERNAL_IDENTITY_HEADER]: t } }));
    },
  };
}
