import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { KinesisChangeFeedReader, kpiTableStores, KpiTableStores } from '@plant/adapters';
import { AwsClients } from '@plant/aws';
import { awsConnectionOf } from '@plant/config';
import { KpiSubgraphConfig } from './config';
import { ALERT_STORE, ASSET_DIRECTORY, ASSET_STATE_STORE, AWS_CLIENTS, CHANGE_FEED_READER, KPI_WINDOW_STORE } from './kpi-subgraph.tokens';

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
  constructor(@Inject(AWS_CLIENTS) private readonly clients: AwsClients) {}

  static forRoot(config: KpiSubgraphConfig): DynamicModule {
    const connection = awsConnectionOf(config);
    const logger = new Logger('ChangeFeedReader');
    return {
      module: KpiStoreModule,
      providers: [
        { provide: AWS_CLIENTS, useFactory: () => new AwsClients(connection, { dynamodb: { requestTimeoutMs: READ_TIMEOUT_MS } }) },
        {
          provide: KPI_TABLE_STORES,
          inject: [AWS_CLIENTS],
          useFactory: (clients: AwsClients) => kpiTableStores(clients.dynamodb, { tableName: config.KPI_TABLE }),
        },
        { provide: KPI_WINDOW_STORE, inject: [KPI_TABLE_STORES], useFactory: (stores: KpiTableStores) => stores.kpiWindows },
        { provide: ASSET_DIRECTORY, inject: [KPI_TABLE_STORES], useFactory: (stores: KpiTableStores) => stores.assetDirectory },
        { provide: ASSET_STATE_STORE, inject: [KPI_TABLE_STORES], useFactory: (stores: KpiTableStores) => stores.assetStates },
        { provide: ALERT_STORE, inject: [KPI_TABLE_STORES], useFactory: (stores: KpiTableStores) => stores.alertStore },
        {
          provide: CHANGE_FEED_READER,
          inject: [AWS_CLIENTS],
          useFactory: (clients: AwsClients) =>
            new KinesisChangeFeedReader(clients.kinesis, {
              streamName: config.CHANGE_FEED_STREAM,
              onInvalid: (reason) => logger.warn(`skipped a change-feed record: ${reason}`),
              onError: (err) => logger.warn(`change-feed poll failed (retrying): ${err instanceof Error ? err.message : String(err)}`),
            }),
        },
      ],
      exports: [AWS_CLIENTS, KPI_WINDOW_STORE, ASSET_DIRECTORY, ASSET_STATE_STORE, ALERT_STORE, CHANGE_FEED_READER],
    };
  }

  /** After every module's onModuleDestroy, so the change-feed reader has stopped polling. */
  onApplicationShutdown(): void {
    this.clients.destroy();
  }
}
