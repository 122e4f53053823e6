import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { type AwsClients, dynamoTableReady } from '@plant/aws';
import { APP_CONFIG, AppConfigModule } from '@plant/config';
import type { AssetDirectory, AssetStateStore, KpiWindowStore } from '@plant/domain';
import { ClientErrorFilter, SubgraphAuth, subgraphGraphqlModule, subgraphSdlFile, syncSdlFileInDevelopment } from '@plant/graphql';
import { HealthRegistry, MetricsRegistry, ObservabilityModule } from '@plant/observability';
import { AlertsResolver } from './alerts/alerts.resolver';
import { AlertsService } from './alerts/alerts.service';
import { KpiSubgraphConfig } from './config';
import { graphqlOptions } from './graphql/graphql-options';
import { AssetResolver } from './hierarchy/asset.resolver';
import { HierarchyService } from './hierarchy/hierarchy.service';
import { KpiResolver } from './hierarchy/kpi.resolver';
import { LineResolver } from './hierarchy/line.resolver';
import { PlantResolver } from './hierarchy/plant.resolver';
import { ASSET_DIRECTORY, ASSET_STATE_STORE, AWS_CLIENTS, KPI_WINDOW_STORE } from './kpi-subgraph.tokens';
import { KpiStoreModule } from './kpi-store.module';
import { CHANGE_FEED_OPTIONS, ChangeFeedService } from './live/change-feed.service';
import { LiveResolver } from './live/live.resolver';
import { DynamoDbKpiHistory } from '@plant/adapters';
import { AssetKpiHistoryResolver, LineKpiHistoryResolver, PlantKpiHistoryResolver } from './kpi-history/kpi-history.resolver';
import { KPI_HISTORY, KpiHistoryService } from './kpi-history/kpi-history.service';

export interface KpiSubgraphOptions {
  /** Build the schema only (`npm run sdl`): the change-feed reader is not started. */
  schemaOnly?: boolean;
}

@Module({})
export class KpiSubgraphModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: KpiSubgraphConfig,
    private readonly health: HealthRegistry,
    private readonly schemaHost: GraphQLSchemaHost,
    @Inject(AWS_CLIENTS) private readonly clients: AwsClients,
  ) {}

  static forRoot(config: KpiSubgraphConfig, options: KpiSubgraphOptions = {}): DynamicModule {
    return {
      module: KpiSubgraphModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'kpi-subgraph', logLevel: config.LOG_LEVEL }),
        KpiStoreModule.forRoot(config),
        subgraphGraphqlModule({
          inject: [KPI_WINDOW_STORE, ASSET_DIRECTORY, ASSET_STATE_STORE, MetricsRegistry],
          useFactory: (kpiWindows: KpiWindowStore, assetDirectory: AssetDirectory, assetStates: AssetStateStore, metrics: MetricsRegistry) =>
            graphqlOptions({ ports: { kpiWindows, assetDirectory, assetStates }, metrics, auth: new SubgraphAuth(config.INTERNAL_AUTH_SECRET), requestDeadlineMs: config.SUBGRAPH_REQUEST_DEADLINE_MS }),
        }),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ClientErrorFilter },
        { provide: CHANGE_FEED_OPTIONS, useValue: { start: !options.schemaOnly } },
        HierarchyService,
        AlertsService,
        ChangeFeedService,
        PlantResolver,
        LineResolver,
        AssetResolver,
        KpiResolver,
        AlertsResolver,
        LiveResolver,
        { provide: KPI_HISTORY, inject: [AWS_CLIENTS], useFactory: (clients: AwsClients) => new DynamoDbKpiHistory(clients.dynamodb, config.KPI_TABLE) },
        KpiHistoryService,
        PlantKpiHistoryResolver,
        LineKpiHistoryResolver,
        AssetKpiHistoryResolver,
      ],
    };
  }

  onModuleInit(): void {
    this.health.register(dynamoTableReady(this.clients.dynamodb, this.config.KPI_TABLE));
  }

  /** In development the committed SDL follows the code on every start. */
  async onApplicationBootstrap(): Promise<void> {
    await syncSdlFileInDevelopment(this.config.NODE_ENV, this.schemaHost.schema, subgraphSdlFile('kpi'), new Logger('KpiSubgraph'));
  }
}
