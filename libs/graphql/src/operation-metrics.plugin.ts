import type { ApolloServerPlugin } from '@apollo/server';
import type { MetricsRegistry } from '@plant/observability';

/** Unnamed operations share one label value; names are client-chosen, so cap them. */
const ANONYMOUS = 'anonymous';
const MAX_NAME_LENGTH = 64;

/**
 * Counts GraphQL operations and their duration by operation name and type (HTTP transport; the
 * gateway's query plans and `_entities` calls included). Outcome `error` = the response carries
 * errors. Subscriptions over graphql-ws do not pass through Apollo Server and are not counted here.
 */
export function operationMetricsPlugin(metrics: MetricsRegistry): ApolloServerPlugin {
  const operations = metrics.counter('graphql_operations_total', 'GraphQL operations executed', [
    'operation_name',
    'operation_type',
    'outcome',
  ]);
  const duration = metrics.histogram('graphql_operation_duration_seconds', 'GraphQL operation duration', [
    'operation_name',
    'operation_type',
  ]);
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, errors }) {
          const labels = {
            operation_name: (operationName ?? ANONYMOUS).slice(0, MAX_NAME_LENGTH),
            operation_type: operation?.operation ?? 'unknown',
          };
          operations.inc({ ...labels, outcome: errors?.length ? 'error' : 'ok' });
          duration.observe(labels, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
