import { influxBucketReady } from '@plant/adapters';
import { type AwsClients, deliveryStreamReady, dynamoTableReady, eventBusReady, kinesisStreamReady, type ReadinessProbe, timestreamTableReady } from '@plant/aws';
import { influxConnectionOf } from '@plant/config';
import type { HealthCheck } from '@plant/observability';
import type { RoutingConfig } from './routing.config';
import type { SinkMetrics, SinkName } from './sink-metrics';

/** A sink is unhealthy after this many failed writes in a row (the consumer keeps retrying the batch meanwhile). */
const FAILED_WRITES_LIMIT = 3;

/**
 * One readiness check per sink: its backend resource answers (the service's probe from libs) and
 * its recent writes did not keep failing.
 */
export function sinkHealthChecks(config: RoutingConfig, clients: AwsClients, metrics: SinkMetrics): HealthCheck[] {
  const check = (probe: ReadinessProbe, sinks: SinkName[]): HealthCheck => ({
    name: `sink:${probe.name}`,
    async check() {
      for (const sink of sinks) {
        const state = metrics.state.get(sink)!;
        if (state.consecutiveFailures >= FAILED_WRITES_LIMIT) throw new Error(`${sink}: last ${state.consecutiveFailures} writes failed (${state.lastError})`);
      }
      await probe.check();
    },
  });
  return [
    check(dynamoTableReady(clients.dynamodb, config.KPI_TABLE), ['kpi-store', 'alert-store', 'asset-state']),
    config.TREND_STORE === 'influxdb'
      ? check(influxBucketReady(influxConnectionOf(config)), ['trend-store'])
      : check(timestreamTableReady(clients.timestreamWrite, config.TIMESTREAM_DATABASE, config.TIMESTREAM_TABLE), ['trend-store']),
    check(eventBusReady(clients.eventbridge, config.ALERT_BUS), ['alert-bus']),
    check(deliveryStreamReady(clients.firehose, config.RAW_DELIVERY_STREAM), ['raw-events']),
    check(deliveryStreamReady(clients.firehose, config.DEAD_LETTER_DELIVERY_STREAM), ['dead-letters']),
    check(kinesisStreamReady(clients.kinesis, config.CHANGE_FEED_STREAM), ['change-feed']),
  ];
}
