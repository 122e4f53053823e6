import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import {
  DynamoDbKpiStore,
  EventBridgeAlertBus,
  FirehoseDeadLetterSink,
  FirehoseRawEventSink,
  InfluxDbTrendStore,
  KinesisChangeFeedPublisher,
  SageMakerFeatureStore,
  TimestreamTrendStore,
} from '@plant/adapters';
import { createClient } from '@plant/aws';
import { awsConnectionOf, influxConnectionOf } from '@plant/config';
import type { TrendStore } from '@plant/domain';
import { HealthRegistry, MetricsRegistry } from '@plant/observability';
import { RECORD_PROCESSOR } from '../consumer/record-processor';
import { FeatureSink } from './feature-sink';
import { Router } from './router';
import { eventTimeBoundsOf, RoutingConfig } from './routing.config';
import { RoutingClients, sinkHealthChecks } from './sink-health';
import { SinkMetrics } from './sink-metrics';

const ROUTING_CLIENTS = Symbol('ROUTING_CLIENTS');

/**
 * Provides the Router under the RECORD_PROCESSOR token (the ConsumerModule looks it up), with one
 * SDK adapter per sink, per-sink metrics and per-sink health checks. Clients are destroyed at
 * application shutdown, after the consumer finished its last batch in onModuleDestroy.
 */
@Module({})
export class RoutingModule implements OnApplicationShutdown {
  constructor(@Inject(ROUTING_CLIENTS) private readonly clients: RoutingClients) {}

  static forRoot(config: RoutingConfig): DynamicModule {
    return {
      module: RoutingModule,
      providers: [
        {
          provide: ROUTING_CLIENTS,
          useFactory: (): RoutingClients => {
            const connection = awsConnectionOf(config);
            return {
              dynamodb: createClient(DynamoDBClient, connection),
              timestream: createClient(TimestreamWriteClient, connection),
              eventbridge: createClient(EventBridgeClient, connection),
              firehose: createClient(FirehoseClient, connection),
              kinesis: createClient(KinesisClient, connection),
              featureStore: createClient(SageMakerFeatureStoreRuntimeClient, connection),
            };
          },
        },
        {
          provide: RECORD_PROCESSOR,
          inject: [ROUTING_CLIENTS, MetricsRegistry, HealthRegistry],
          useFactory: (clients: RoutingClients, registry: MetricsRegistry, health: HealthRegistry) => {
            const metrics = new SinkMetrics(registry);
            for (const check of sinkHealthChecks(config, clients, metrics)) health.register(check);
            return new Router(
              {
                kpiStore: new DynamoDbKpiStore(clients.dynamodb, { tableName: config.KPI_TABLE }),
                trendStore: trendStoreOf(config, clients),
                alertBus: new EventBridgeAlertBus(clients.eventbridge, { busName: config.ALERT_BUS }),
                rawEvents: new FirehoseRawEventSink(clients.firehose, { deliveryStreamName: config.RAW_DELIVERY_STREAM }),
                deadLetters: new FirehoseDeadLetterSink(clients.firehose, { deliveryStreamName: config.DEAD_LETTER_DELIVERY_STREAM }),
                changeFeed: new KinesisChangeFeedPublisher(clients.kinesis, { streamName: config.CHANGE_FEED_STREAM }),
                features: new FeatureSink(new SageMakerFeatureStore(clients.featureStore)),
              },
              { metrics, eventTimeBounds: eventTimeBoundsOf(config) },
            );
          },
        },
      ],
      exports: [RECORD_PROCESSOR],
    };
  }

  onApplicationShutdown(): void {
    for (const client of Object.values(this.clients)) client.destroy();
  }
}

/** The trend store TREND_STORE selects (Timestream for InfluxDB on new AWS accounts). */
function trendStoreOf(config: RoutingConfig, clients: RoutingClients): TrendStore {
  switch (config.TREND_STORE) {
    case 'influxdb':
      return new InfluxDbTrendStore(influxConnectionOf(config));
    case 'timestream':
      return new TimestreamTrendStore(clients.timestream, { databaseName: config.TIMESTREAM_DATABASE, tableName: config.TIMESTREAM_TABLE });
  }
}
