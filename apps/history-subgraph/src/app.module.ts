import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { influxBucketReady, InfluxDbTrendAggregates, TimestreamTrendAggregates } from '@plant/adapters';
import { AwsClients, timestreamTableReady } from '@plant/aws';
import { APP_CONFIG, AppConfigModule, awsConnectionOf, influxConnectionOf } from '@plant/config';
import type { TrendAggregateQuery } from '@plant/domain';
import { ClientErrorFilter, SubgraphAuth, subgraphGraphqlModule, subgraphSdlFile, syncSdlFileInDevelopment } from '@plant/graphql';
import { HealthRegistry, MetricsRegistry, ObservabilityModule } from '@plant/observability';
import { HistorySubgraphConfig } from './config';
import { Asset, Line, Plant } from './entities.models';
import { HistoryContext } from './trends/trend.resolver';
import { TrendService } from './trends/trend.service';
import { TrendsModule } from './trends/trends.module';
import { lakeQueryOf } from './reports/lake-query.factory';
import { ReportContext } from './reports/report.resolver';
import { ReportService } from './reports/report.service';
import { ReportsModule } from './reports/reports.module';

export const { path: SDL_PATH, file: SDL_FILE, command: SDL_COMMAND } = subgraphSdlFile('history');
const MESSAGES = { unavailable: 'The trend store is unavailable; retry later' };

/** Trends (Timestream) as fields of the federated Asset; lake queries (Athena) come next. */
@Module({})
export class HistorySubgraphModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: HistorySubgraphConfig,
    private readonly health: HealthRegistry,
    private readonly schemaHost: GraphQLSchemaHost,
  ) {}

  static forRoot(config: HistorySubgraphConfig): DynamicModule {
    const trends = TrendsModule.forRoot(trendQueryOf(config), config.PLANT_UTC_OFFSETS);
    const reports = ReportsModule.forRoot(lakeQueryOf(config));
    const auth = new SubgraphAuth(config.INTERNAL_AUTH_SECRET);
    return {
      module: HistorySubgraphModule,
      imports: [
        trends,
        reports,
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'history-subgraph', logLevel: config.LOG_LEVEL }),
        subgraphGraphqlModule({
          imports: [trends, reports],
          inject: [MetricsRegistry, TrendService, ReportService],
          useFactory: (metrics: MetricsRegistry, trends: TrendService, reports: ReportService) => ({
            auth,
            metrics,
            requestDeadlineMs: config.SUBGRAPH_REQUEST_DEADLINE_MS,
            publicMessages: MESSAGES,
            orphanedTypes: [Asset, Plant, Line],
            // The caller is the identity the gateway signed (401 without one); its plants filter every trend query.
            // Lake reports also stop their Athena query when the caller goes away (the signal).
            context: ({ identity, signal }): HistoryContext & ReportContext => ({
              trends: trends.createLoader(identity),
              reports: reports.createLoaders(identity, signal),
              signal,
            }),
          }),
        }),
      ],
      providers: [{ provide: APP_FILTER, useClass: ClientErrorFilter }],
    };
  }

  onModuleInit(): void {
    this.health.register(
      this.config.TREND_STORE === 'influxdb'
        ? influxBucketReady(influxConnectionOf(this.config))
        : timestreamTableReady(new AwsClients(awsConnectionOf(this.config)).timestreamWrite, this.config.TIMESTREAM_DATABASE, this.config.TIMESTREAM_TABLE),
    );
  }

  /** In development the committed SDL follows the code on every start. */
  async onApplicationBootstrap(): Promise<void> {
    await syncSdlFileInDevelopment(this.config.NODE_ENV, this.schemaHost.schema, subgraphSdlFile('history'), new Logger('HistorySubgraph'));
  }
}

/** The trend query TREND_STORE selects (Timestream for InfluxDB on new AWS accounts). */
function trendQueryOf(config: HistorySubgraphConfig): TrendAggregateQuery {
  switch (config.TREND_STORE) {
    case 'influxdb':
      return new InfluxDbTrendAggregates(influxConnectionOf(config));
    case 'timestream':
      return new TimestreamTrendAggregates(new AwsClients(awsConnectionOf(config)).timestreamQuery, {
        databaseName: config.TIMESTREAM_DATABASE,
        tableName: config.TIMESTREAM_TABLE,
      });
  }
}
