import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

/** Context key holding the caller's Authorization value that the gateway forwards to subgraphs. */
export const FORWARDED_AUTHORIZATION = 'forwardedAuthorization';

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

/**
 * Forwards the caller's Authorization to every subgraph: as a header on HTTP subgraph requests
 * (queries, mutations and the `_entities` fetches of each subscription event) and, through the
 * upstream WebSocket transport, in the connection-init payload of subgraph subscriptions.
 * Subgraphs decide access themselves (DESIGN.md §5: claims passed to subgraphs).
 */
export function useForwardAuthorization(): GatewayPlugin {
  return {
    onContextBuilding({ context, extendContext }) {
      const ctx = context as Record<string, unknown> & { request?: Request };
      if (ctx[FORWARDED_AUTHORIZATION] !== undefined) return;
      const header = ctx.request?.headers?.get?.('authorization');
      if (header) extendContext({ [FORWARDED_AUTHORIZATION]: header } as never);
    },
    onFetch({ context, options, setOptions }) {
      const authorization = (context as Record<string, unknown> | undefined)?.[FORWARDED_AUTHORIZATION];
      if (typeof authorization !== 'string') return;
      setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), authorization } });
    },
  };
}
