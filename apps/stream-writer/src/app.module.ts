import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createClient, dynamoTableReady, kinesisStreamReady } from '@plant/aws';
import { APP_CONFIG, AppConfigModule, awsConnectionOf } from '@plant/config';
import { HealthRegistry, ObservabilityModule } from '@plant/observability';
import { StreamWriterConfig } from './config';
import { ConsumerModule } from './consumer/consumer.module';
import { RoutingModule } from './routing/routing.module';

@Module({})
export class StreamWriterModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: StreamWriterConfig,
    private readonly health: HealthRegistry,
  ) {}

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

  onModuleInit(): void {
    const connection = awsConnectionOf(this.config);
    const kinesis = createClient(KinesisClient, connection);
    const dynamodb = createClient(DynamoDBClient, connection);
    this.health.register(kinesisStreamReady(kinesis, this.config.PLANT_EVENTS_STREAM));
    this.health.register(dynamoTableReady(dynamodb, this.config.LEASE_TABLE));
  }
}
