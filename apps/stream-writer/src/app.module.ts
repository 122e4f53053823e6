import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@plant/config';
import { ObservabilityModule } from '@plant/observability';
import { StreamWriterConfig } from './config';
import { ConsumerModule } from './consumer/consumer.module';
import { RoutingModule } from './routing/routing.module';

/**
 * The stream-writer: the Kinesis consumer (leases, checkpoints) hands shard batches to the router,
 * which writes every sink. Each module registers the readiness checks of the backends it uses.
 */
@Module({})
export class StreamWriterModule {
  static forRoot(config: StreamWriterConfig): DynamicModule {
    return {
      module: StreamWriterModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'stream-writer', logLevel: config.LOG_LEVEL }),
        ConsumerModule,
        RoutingModule.forRoot(config),
      ],
    };
  }
}
