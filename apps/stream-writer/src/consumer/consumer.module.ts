import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createClient, dynamoTableReady, kinesisStreamReady } from '@plant/aws';
import { APP_CONFIG, type AwsConnection, awsConnectionOf } from '@plant/config';
import { HealthRegistry, MetricsRegistry } from '@plant/observability';
import { type ConsumerConfig, consumerSettingsOf } from './consumer.config';
import { KinesisConsumer } from './kinesis-consumer';
import { DynamoDbLeaseTable } from './lease-table.dynamodb';
import { RECORD_PROCESSOR, type RecordProcessor } from './record-processor';
import { KinesisShardSource } from './shard-source.kinesis';

type ConsumerModuleConfig = ConsumerConfig & {
  AWS_REGION: string;
  AWS_ENDPOINT_URL?: string;
  PLANT_EVENTS_STREAM: string;
  LEASE_TABLE: string;
};

/**
 * Runs the stream-writer's Kinesis consumer inside the Nest app. The RecordProcessor is looked up
 * by the RECORD_PROCESSOR token anywhere in the app (the routing module provides it), so this module
 * does not depend on the router's module. The consumer starts once every module is initialised and
 * stops gracefully in onModuleDestroy (app.close(), SIGTERM with enableShutdownHooks): batches in the
 * processor finish and are checkpointed, leases are released. Sinks should therefore flush and close
 * in beforeApplicationShutdown/onApplicationShutdown, which Nest runs after every onModuleDestroy.
 */
@Module({})
export class ConsumerModule implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('StreamConsumer');
  private readonly kinesis: KinesisClient;
  private readonly dynamodb: DynamoDBClient;
  private consumer?: KinesisConsumer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: ConsumerModuleConfig,
    private readonly moduleRef: ModuleRef,
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
  ) {
    const connection: AwsConnection = awsConnectionOf(config);
    this.kinesis = createClient(KinesisClient, connection);
    this.dynamodb = createClient(DynamoDBClient, connection);
    health.register(kinesisStreamReady(this.kinesis, config.PLANT_EVENTS_STREAM));
    health.register(dynamoTableReady(this.dynamodb, config.LEASE_TABLE));
  }

  /** The running worker (for tests and diagnostics); undefined before bootstrap. */
  get worker(): KinesisConsumer | undefined {
    return this.consumer;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new KinesisConsumer(consumerSettingsOf(this.config), {
      leaseTable: new DynamoDbLeaseTable(this.dynamodb, this.config.LEASE_TABLE),
      source: new KinesisShardSource(this.kinesis, this.config.PLANT_EVENTS_STREAM),
      processor: this.recordProcessor(),
      metrics: this.metrics,
      logger: this.logger,
    });
    this.health.register(this.consumer.healthCheck());
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }

  onApplicationShutdown(): void {
    this.kinesis.destroy();
    this.dynamodb.destroy();
  }

  private recordProcessor(): RecordProcessor {
    try {
      return this.moduleRef.get<RecordProcessor>(RECORD_PROCESSOR, { strict: false });
    } catch {
      throw new Error('No RecordProcessor is provided under the RECORD_PROCESSOR token: import the routing module into the app.');
    }
  }
}
