import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { useRequestDeadline } from '@whatwg-node/server';
import { errorBody, LimitCodes } from './limit-errors';

/**
 * The end-to-end deadline of an HTTP request (the runtime's `requestDeadline`, whose own answer is
 * plain text without a code): after `timeoutMs` the client gets 504 with GATEWAY_TIMEOUT, and the
 * request's signal is aborted, which — with `executionCancellation` and `upstreamCancellation` —
 * stops the execution and aborts its in-flight subgraph requests. A subscription over SSE is not
 * cut: its response (the event stream) is handed over long before the deadline.
 */
export function useGatewayDeadline(timeoutMs: number): GatewayPlugin {
  return useRequestDeadline({
    timeout: timeoutMs,
    response: () =>
      new Response(errorBody(LimitCodes.GATEWAY_TIMEOUT, `The request did not complete within ${timeoutMs} ms and was cancelled.`), {
        status: 504,
        headers: { 'content-type': 'application/json', connection: 'close' },
      }),
  }) as GatewayPlugin;
}
