import { DynamicModule, Module } from '@nestjs/common';
import { kinesisStreamConsumerBackends } from '@plant/adapters';
import { AppConfigModule, awsConnectionOf } from '@plant/config';
import { ObservabilityModule } from '@plant/observability';
import { consumerSettingsOf, RECORD_PROCESSOR, type RecordProcessor, StreamConsumerModule } from '@plant/stream-consumer';
import { StreamWriterConfig } from './config';
import { RoutingModule } from './routing/routing.module';

/**
 * The stream-writer: a stream-consumer worker (leases, checkpoints; libs/stream-consumer) reading
 * PLANT_EVENTS_STREAM hands shard batches to the router, which writes every sink. The router is
 * passed to the consumer explicitly (injected from the RoutingModule). Each module registers the
 * readiness checks of the backends it uses.
 */
@Module({})
export class StreamWriterModule {
  static forRoot(config: StreamWriterConfig): DynamicModule {
    return {
      module: StreamWriterModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'stream-writer', logLevel: config.LOG_LEVEL }),
        StreamConsumerModule.forRootAsync({
          imports: [RoutingModule.forRoot(config)],
          inject: [RECORD_PROCESSOR],
          useFactory: (processor: RecordProcessor) => ({
            settings: consumerSettingsOf(config),
            backends: kinesisStreamConsumerBackends(awsConnectionOf(config), {
              streamName: config.PLANT_EVENTS_STREAM,
              leaseTableName: config.LEASE_TABLE,
            }),
            processor,
          }),
        }),
      ],
    };
  }
}
