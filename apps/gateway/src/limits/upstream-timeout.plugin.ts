import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

const TICK_MS = 100;

/**
 * A timeout on every HTTP request to a subgraph (queries, mutations, the `_entities` fetch of each
 * subscription event; subscriptions themselves run over WebSockets and are not cut): past
 * `timeoutMs` (+ ≤ 100 ms) the fetch is aborted and the client gets DOWNSTREAM_SERVICE_ERROR for
 * that subgraph's part while the rest of the answer is served.
 *
 * Why not the runtime's `upstreamTimeout`: it creates one `AbortSignal.timeout` per subgraph
 * request — a timer that cannot be cancelled and lives for the whole timeout after the request
 * ended — and it also ends subscription streams after the timeout (its abort crashed the gateway
 * through our upstream WebSocket transport). One coarse clock serves every request instead.
 */
export function useUpstreamTimeout(timeoutMs: number): GatewayPlugin {
  const slots = new Map<number, AbortController[]>();
  let clock: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = Math.floor(Date.now() / TICK_MS);
    for (const [slot, controllers] of slots) {
      if (slot > now) continue;
      slots.delete(slot);
      for (const c of controllers) c.abort(new DOMException(`The subgraph did not answer within ${timeoutMs} ms`, 'TimeoutError'));
    }
    if (slots.size === 0 && clock) {
      clearInterval(clock);
      clock = undefined;
    }
  };
  const arm = (): AbortSignal => {
    const controller = new AbortController();
    const slot = Math.ceil((Date.now() + timeoutMs) / TICK_MS);
    const controllers = slots.get(slot);
    if (controllers) controllers.push(controller);
    else slots.set(slot, [controller]);
    if (!clock) {
      clock = setInterval(tick, TICK_MS);
      clock.unref();
    }
    return controller.signal;
  };
  return {
    onFetch({ options, setOptions }) {
      const timeout = arm();
      // Aborting a fetch that already completed does nothing; the controller is dropped at expiry.
      setOptions({ ...options, signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
    },
    onDispose() {
      if (clock) clearInterval(clock);
      slots.clear();
    },
  };
}
