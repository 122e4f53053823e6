import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KinesisChangeFeedReader, kpiTableStores, KpiTableStores } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { awsConnectionOf } from '@plant/config';
import { KpiSubgraphConfig } from './config';
import { ALERT_STORE, ASSET_DIRECTORY, ASSET_STATE_STORE, CHANGE_FEED_READER, DYNAMODB_CLIENT, KINESIS_CLIENT, KPI_WINDOW_STORE } from './kpi-subgraph.tokens';

const KPI_TABLE_STORES = Symbol('KPI_TABLE_STORES');

/**
 * A GraphQL request waits for its reads: a short per-call timeout turns a hung backend into an
 * UNAVAILABLE error within seconds (the SDK still retries refused connections and throttling).
 */
const READ_TIMEOUT_MS = 5_000;

/** Provides the store ports: one DynamoDB adapter per concern of the KPI table and the Kinesis ChangeFeedReader. */
@Global()
@Module({})
export class KpiStoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(DYNAMODB_CLIENT) private readonly dynamodb: DynamoDBClient,
    @Inject(KINESIS_CLIENT) private readonly kinesis: KinesisClient,
  ) {}

  static forRoot(config: KpiSubgraphConfig): DynamicModule {
    const connection = awsConnectionOf(config);
    const logger = new Logger('ChangeFeedReader');
    return {
      module: KpiStoreModule,
      providers: [
        { provide: DYNAMODB_CLIENT, useFactory: () => createClient(DynamoDBClient, connection, { requestTimeoutMs: READ_TIMEOUT_MS }) },
        { provide: KINESIS_CLIENT, useFactory: () => createClient(KinesisClient, connection) },
        {
          provide: KPI_TABLE_STORES,
          inject: [DYNAMODB_CLIENT],
          useFactory: (dynamodb: DynamoDBClient) => kpiTableStores(dynamodb, { tableName: config.KPI_TABLE }),
        },
        { provide: KPI_WINDOW_STORE, inject: [KPI_TABLE_STORES], useFactory: (stores: KpiTableStores) => stores.kpiWindows },
        { provide: ASSET_DIRECTORY, inject: [KPI_TABLE_STORES], useFactory: (stores: KpiTableStores) => stores.assetDirectory },
        { provide: ASSET_STATE_STORE, inject: [KPI_TABLE_STORES], useFactory: (stores: KpiTableStores) => stores.assetStates },
        { provide: ALERT_STORE, inject: [KPI_TABLE_STORES], useFactory: (stores: KpiTableStores) => stores.alertStore },
        {
          provide: CHANGE_FEED_READER,
          inject: [KINESIS_CLIENT],
          useFactory: (kinesis: KinesisClient) =>
            new KinesisChangeFeedReader(kinesis, {
              streamName: config.CHANGE_FEED_STREAM,
              onInvalid: (reason) => logger.warn(`skipped a change-feed record: ${reason}`),
              onError: (err) => logger.warn(`change-feed poll failed (retrying): ${err instanceof Error ? err.message : String(err)}`),
            }),
        },
      ],
      exports: [DYNAMODB_CLIENT, KPI_WINDOW_STORE, ASSET_DIRECTORY, ASSET_STATE_STORE, ALERT_STORE, CHANGE_FEED_READER],
    };
  }

  /** After every module's onModuleDestroy, so the change-feed reader has stopped polling. */
  onApplicationShutdown(): void {
    this.dynamodb.destroy();
    this.kinesis.destroy();
  }
}
