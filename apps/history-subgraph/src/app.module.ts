import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { DescribeTableCommand, TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { influxHealth, InfluxDbTrendQuery, TimestreamTrendQuery } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { APP_CONFIG, AppConfigModule, awsConnectionOf, influxConnectionOf } from '@plant/config';
import type { TrendQuery } from '@plant/domain';
import { SubgraphAuth, subgraphGraphqlModule, subgraphSdlFile, syncSdlFileInDevelopment } from '@plant/graphql';
import { HealthRegistry, MetricsRegistry, ObservabilityModule } from '@plant/observability';
import { HistorySubgraphConfig } from './config';
import { Asset } from './trends/trend.models';
import { HistoryContext } from './trends/trend.resolver';
import { TrendService } from './trends/trend.service';
import { TrendsModule } from './trends/trends.module';

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
    const trends = TrendsModule.forRoot(trendQueryOf(config));
    const auth = new SubgraphAuth(config.INTERNAL_AUTH_SECRET);
    return {
      module: HistorySubgraphModule,
      imports: [
        trends,
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'history-subgraph', logLevel: config.LOG_LEVEL }),
        subgraphGraphqlModule({
          imports: [trends],
          inject: [MetricsRegistry, TrendService],
          useFactory: (metrics: MetricsRegistry, trends: TrendService) => ({
            auth,
            metrics,
            requestDeadlineMs: config.SUBGRAPH_REQUEST_DEADLINE_MS,
            publicMessages: MESSAGES,
            orphanedTypes: [Asset],
            // The caller is the identity the gateway signed (401 without one); its plants filter every trend query.
            context: ({ identity, signal }): HistoryContext => ({ trends: trends.createLoader(identity), signal }),
          }),
        }),
      ],
    };
  }

  onModuleInit(): void {
    if (this.config.TREND_STORE === 'influxdb') {
      const influx = influxConnectionOf(this.config);
      this.health.register({ name: `influxdb:${influx.bucket}`, check: () => influxHealth(influx) });
      return;
    }
    const write = createClient(TimestreamWriteClient, awsConnectionOf(this.config));
    const { TIMESTREAM_DATABASE: DatabaseName, TIMESTREAM_TABLE: TableName } = this.config;
    this.health.register({
      name: `timestream:${DatabaseName}.${TableName}`,
      async check() {
        const out = await write.send(new DescribeTableCommand({ DatabaseName, TableName }));
        if (out.Table?.TableStatus !== 'ACTIVE') throw new Error(`table is ${out.Table?.TableStatus}`);
      },
    });
  }

  /** In development the committed SDL follows the code on every start. */
  async onApplicationBootstrap(): Promise<void> {
    await syncSdlFileInDevelopment(this.config.NODE_ENV, this.schemaHost.schema, subgraphSdlFile('history'), new Logger('HistorySubgraph'));
  }
}

/** The trend query TREND_STORE selects (Timestream for InfluxDB on new AWS accounts). */
function trendQueryOf(config: HistorySubgraphConfig): TrendQuery {
  switch (config.TREND_STORE) {
    case 'influxdb':
      return new InfluxDbTrendQuery(influxConnectionOf(config));
    case 'timestream':
      return new TimestreamTrendQuery(createClient(TimestreamQueryClient, awsConnectionOf(config)), {
        databaseName: config.TIMESTREAM_DATABASE,
        tableName: config.TIMESTREAM_TABLE,
      });
  }
}
