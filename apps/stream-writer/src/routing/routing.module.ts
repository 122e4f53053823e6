import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import {
  EventBridgeAlertBus,
  FirehoseDeadLetterSink,
  FirehoseRawEventSink,
  InfluxDbTrendStore,
  KinesisChangeFeedPublisher,
  kpiTableStores,
  SageMakerFeatureStore,
  TimestreamTrendStore,
} from '@plant/adapters';
import { AwsClients } from '@plant/aws';
import { awsConnectionOf, influxConnectionOf } from '@plant/config';
import type { TrendStore } from '@plant/domain';
import { HealthRegistry, MetricsRegistry } from '@plant/observability';
import { RECORD_PROCESSOR } from '@plant/stream-consumer';
import { FeatureSink } from './feature-sink';
import { Router } from './router';
import { eventTimeBoundsOf, RoutingConfig } from './routing.config';
import { sinkHealthChecks } from './sink-health';
import { SinkMetrics } from './sink-metrics';

const ROUTING_CLIENTS = Symbol('ROUTING_CLIENTS');

/**
 * Provides the Router under the RECORD_PROCESSOR token (the app hands it to the stream consumer), with one
 * SDK adapter per sink, per-sink metrics and per-sink health checks. Clients are destroyed at
 * application shutdown, after the consumer finished its last batch in onModuleDestroy.
 */
@Module({})
export class RoutingModule implements OnApplicationShutdown {
  constructor(@Inject(ROUTING_CLIENTS) private readonly clients: AwsClients) {}

  static forRoot(config: RoutingConfig): DynamicModule {
    return {
      module: RoutingModule,
      providers: [
        {
          provide: ROUTING_CLIENTS,
          useFactory: () => new AwsClients(awsConnectionOf(config)),
        },
        {
          provide: RECORD_PROCESSOR,
          inject: [ROUTING_CLIENTS, MetricsRegistry, HealthRegistry],
          useFactory: (clients: AwsClients, registry: MetricsRegistry, health: HealthRegistry) => {
            const metrics = new SinkMetrics(registry);
            for (const check of sinkHealthChecks(config, clients, metrics)) health.register(check);
            return new Router(
              {
                ...kpiTableStores(clients.dynamodb, { tableName: config.KPI_TABLE }),
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
    this.clients.destroy();
  }
}

/** The trend store TREND_STORE selects (Timestream for InfluxDB on new AWS accounts). */
function trendStoreOf(config: RoutingConfig, clients: AwsClients): TrendStore {
  switch (config.TREND_STORE) {
    case 'influxdb':
      return new InfluxDbTrendStore(influxConnectionOf(config));
    case 'timestream':
      return new TimestreamTrendStore(clients.timestreamWrite, { databaseName: config.TIMESTREAM_DATABASE, tableName: config.TIMESTREAM_TABLE });
  }
}
