import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { ExecutionResult, getOperationAST, OperationTypeNode } from 'graphql';

/** What the gateway counts; the Nest side backs it with Prometheus metrics. */
export interface GatewayMetricsSink {
  operation(type: OperationTypeNode | 'unknown'): void;
  subscriptionOpened(): void;
  subscriptionClosed(): void;
  upstreamError(subgraph: string): void;
}

/**
 * Counts operations by type (on validation, so response-cache hits count too), open client
 * subscriptions, and subgraph results that carry errors (by subgraph; transport failures arrive
 * as such results too).
 *
 * Kept rather than the runtime's `@graphql-mesh/plugin-prometheus` 2.2 (installed, evaluated for
 * issue 10): it exports other names (`graphql_envelop_request`, `graphql_gateway_subgraph_execute_errors`,
 * per-phase histograms) instead of `gateway_operations_total{type}`, `gateway_subscriptions_active`
 * and `gateway_upstream_errors_total{subgraph}` that docs/gateway.md, the dashboards and the gateway
 * tests read; it has no gauge of open subscriptions (only a subscribe-phase histogram); and its
 * request counter is taken in the execute/subscribe phase rather than at validation, where ours
 * counts (response-cache hits included), so the figures could differ. Its per-phase timers would also add work to every request, where these three counters do not.
 */
export function useGatewayMetrics(sink: GatewayMetricsSink): GatewayPlugin {
  return {
    onValidate({ params }) {
      const op = getOperationAST(params.documentAST);
      sink.operation(op?.operation ?? 'unknown');
    },
    onSubscribe() {
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return;
          sink.subscriptionOpened();
          let closed = false;
          return {
            onEnd() {
              if (closed) return;
              closed = true;
              sink.subscriptionClosed();
            },
          };
        },
      };
    },
    onSubgraphExecute({ subgraphName }) {
      return ({ result }) => {
        if (!isAsyncIterable(result)) {
          if ((result as ExecutionResult).errors?.length) sink.upstreamError(subgraphName);
          return;
        }
        return {
          onNext({ result: event }) {
            if (event.errors?.length) sink.upstreamError(subgraphName);
          },
        };
      };
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value != null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}
