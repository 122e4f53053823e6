import { DescribeTableCommand as DescribeDynamoTable, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import type { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { DescribeTableCommand as DescribeTimestreamTable, TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { influxHealth } from '@plant/adapters';
import { influxConnectionOf } from '@plant/config';
import type { HealthCheck } from '@plant/observability';
import type { RoutingConfig } from './routing.config';
import type { SinkMetrics, SinkName } from './sink-metrics';

/** A sink is unhealthy after this many failed writes in a row (the consumer keeps retrying the batch meanwhile). */
const FAILED_WRITES_LIMIT = 3;

export interface RoutingClients {
  dynamodb: DynamoDBClient;
  timestream: TimestreamWriteClient;
  eventbridge: EventBridgeClient;
  firehose: FirehoseClient;
  kinesis: KinesisClient;
  featureStore: SageMakerFeatureStoreRuntimeClient;
}

/**
 * One readiness check per sink: its backend resource answers (Describe* call) and its recent
 * writes did not keep failing.
 */
export function sinkHealthChecks(config: RoutingConfig, clients: RoutingClients, metrics: SinkMetrics): HealthCheck[] {
  const check = (name: string, sinks: SinkName[], describe: () => Promise<unknown>): HealthCheck => ({
    name: `sink:${name}`,
    async check() {
      for (const sink of sinks) {
        const state = metrics.state.get(sink)!;
        if (state.consecutiveFailures >= FAILED_WRITES_LIMIT) throw new Error(`${sink}: last ${state.consecutiveFailures} writes failed (${state.lastError})`);
      }
      await describe();
    },
  });
  return [
    check(`dynamodb:${config.KPI_TABLE}`, ['kpi-store', 'alert-store', 'asset-state'], () =>
      clients.dynamodb.send(new DescribeDynamoTable({ TableName: config.KPI_TABLE })),
    ),
    config.TREND_STORE === 'influxdb'
      ? check(`influxdb:${config.INFLUXDB_BUCKET}`, ['trend-store'], () => influxHealth(influxConnectionOf(config)))
      : check(`timestream:${config.TIMESTREAM_DATABASE}.${config.TIMESTREAM_TABLE}`, ['trend-store'], () =>
          clients.timestream.send(new DescribeTimestreamTable({ DatabaseName: config.TIMESTREAM_DATABASE, TableName: config.TIMESTREAM_TABLE })),
        ),
    check(`eventbridge:${config.ALERT_BUS}`, ['alert-bus'], () => clients.eventbridge.send(new DescribeEventBusCommand({ Name: config.ALERT_BUS }))),
    check(`firehose:${config.RAW_DELIVERY_STREAM}`, ['raw-events'], () =>
      clients.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: config.RAW_DELIVERY_STREAM })),
    ),
    check(`firehose:${config.DEAD_LETTER_DELIVERY_STREAM}`, ['dead-letters'], () =>
      clients.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: config.DEAD_LETTER_DELIVERY_STREAM })),
    ),
    check(`kinesis:${config.CHANGE_FEED_STREAM}`, ['change-feed'], () =>
      clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: config.CHANGE_FEED_STREAM })),
    ),
  ];
}
