import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoTableReady } from '@plant/aws';
import { APP_CONFIG, AppConfigModule } from '@plant/config';
import type { KpiRepository } from '@plant/domain';
import { SubgraphAuth, writeSdlFile } from '@plant/graphql';
import { HealthRegistry, MetricsRegistry, ObservabilityModule } from '@plant/observability';
import { AlertsResolver } from './alerts/alerts.resolver';
import { AlertsService } from './alerts/alerts.service';
import { KpiSubgraphConfig } from './config';
import { graphqlOptions, SDL_COMMAND, SDL_FILE, SDL_PATH } from './graphql/graphql-options';
import { AssetResolver } from './hierarchy/asset.resolver';
import { HierarchyService } from './hierarchy/hierarchy.service';
import { KpiResolver } from './hierarchy/kpi.resolver';
import { LineResolver } from './hierarchy/line.resolver';
import { PlantResolver } from './hierarchy/plant.resolver';
import { DYNAMODB_CLIENT, KPI_REPOSITORY } from './kpi-subgraph.tokens';
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
    @Inject(DYNAMODB_CLIENT) private readonly dynamodb: DynamoDBClient,
  ) {}

  static forRoot(config: KpiSubgraphConfig, options: KpiSubgraphOptions = {}): DynamicModule {
    return {
      module: KpiSubgraphModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'kpi-subgraph', logLevel: config.LOG_LEVEL }),
        KpiStoreModule.forRoot(config),
        GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          inject: [KPI_REPOSITORY, MetricsRegistry],
          useFactory: (repository: KpiRepository, metrics: MetricsRegistry) =>
            graphqlOptions({ repository, metrics, auth: new SubgraphAuth(config.INTERNAL_AUTH_SECRET), requestDeadlineMs: config.SUBGRAPH_REQUEST_DEADLINE_MS }),
        }),
      ],
      providers: [
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
        { provide: KPI_HISTORY, inject: [DYNAMODB_CLIENT], useFactory: (client: DynamoDBClient) => new DynamoDbKpiHistory(client, config.KPI_TABLE) },
        KpiHistoryService,
        PlantKpiHistoryResolver,
        LineKpiHistoryResolver,
        AssetKpiHistoryResolver,
      ],
    };
  }

  onModuleInit(): void {
    this.health.register(dynamoTableReady(this.dynamodb, this.config.KPI_TABLE));
  }

  /** In development the committed SDL follows the code on every start. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.NODE_ENV !== 'development') return;
    if (await writeSdlFile(this.schemaHost.schema, SDL_FILE, SDL_COMMAND)) new Logger('KpiSubgraph').warn(`${SDL_PATH} updated: commit it`);
  }
}
