import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { DescribeTableCommand, TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { influxHealth, InfluxDbTrendAggregates, TimestreamTrendAggregates } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { APP_CONFIG, AppConfigModule, awsConnectionOf, influxConnectionOf } from '@plant/config';
import type { TrendAggregateQuery } from '@plant/domain';
import {
  callerGoneSignal,
  FEDERATION,
  formatGraphQLError,
  operationMetricsPlugin,
  requestDeadlinePlugin,
  SubgraphAuth,
  SubgraphTransport,
  writeSdlFile,
} from '@plant/graphql';
import { HealthRegistry, MetricsRegistry, ObservabilityModule } from '@plant/observability';
import { HistorySubgraphConfig } from './config';
import { Asset, Line, Plant } from './trends/trend.models';
import { HistoryContext } from './trends/trend.resolver';
import { TrendService } from './trends/trend.service';
import { TrendsModule } from './trends/trends.module';

export const SDL_PATH = 'apps/history-subgraph/schema.graphql';
export const SDL_FILE = `${__dirname}/../schema.graphql`;
export const SDL_COMMAND = 'npm run sdl:history';
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
    const auth = new SubgraphAuth(config.INTERNAL_AUTH_SECRET);
    return {
      module: HistorySubgraphModule,
      imports: [
        trends,
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'history-subgraph', logLevel: config.LOG_LEVEL }),
        GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          imports: [trends],
          inject: [MetricsRegistry, TrendService],
          useFactory: (metrics: MetricsRegistry, trends: TrendService) => ({
            path: '/graphql',
            autoSchemaFile: { federation: FEDERATION },
            buildSchemaOptions: { orphanedTypes: [Asset, Line, Plant] },
            playground: false,
            introspection: true,
            includeStacktraceInErrorResponses: false,
            formatError: (formatted, error) => formatGraphQLError(formatted, error, MESSAGES),
            plugins: [operationMetricsPlugin(metrics), requestDeadlinePlugin(config.SUBGRAPH_REQUEST_DEADLINE_MS), ApolloServerPluginInlineTraceDisabled()],
            // The caller is the identity the gateway signed (401 without one); its plants filter every trend query.
            context: async (transport: SubgraphTransport): Promise<HistoryContext> => ({
              trends: trends.createLoader(await auth.identityOfTransport(transport)),
              signal: callerGoneSignal(transport.res),
            }),
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
    if (this.config.NODE_ENV !== 'development') return;
    if (await writeSdlFile(this.schemaHost.schema, SDL_FILE, SDL_COMMAND)) new Logger('HistorySubgraph').warn(`${SDL_PATH} updated: commit it`);
  }
}

/** The trend query TREND_STORE selects (Timestream for InfluxDB on new AWS accounts). */
function trendQueryOf(config: HistorySubgraphConfig): TrendAggregateQuery {
  switch (config.TREND_STORE) {
    case 'influxdb':
      return new InfluxDbTrendAggregates(influxConnectionOf(config));
    case 'timestream':
      return new TimestreamTrendAggregates(createClient(TimestreamQueryClient, awsConnectionOf(config)), {
        databaseName: config.TIMESTREAM_DATABASE,
        tableName: config.TIMESTREAM_TABLE,
      });
  }
}
