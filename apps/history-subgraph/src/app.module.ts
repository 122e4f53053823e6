import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { DescribeTableCommand, TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { TimestreamTrendQuery } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { APP_CONFIG, AppConfigModule, awsConnectionOf } from '@plant/config';
import { callerGoneSignal, FEDERATION, formatGraphQLError, operationMetricsPlugin, requestDeadlinePlugin, writeSdlFile } from '@plant/graphql';
import { HealthRegistry, MetricsRegistry, ObservabilityModule } from '@plant/observability';
import { HistorySubgraphConfig } from './config';
import { Asset } from './trends/trend.models';
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
    const connection = awsConnectionOf(config);
    const trendQuery = new TimestreamTrendQuery(createClient(TimestreamQueryClient, connection), {
      databaseName: config.TIMESTREAM_DATABASE,
      tableName: config.TIMESTREAM_TABLE,
    });
    const trends = TrendsModule.forRoot(trendQuery);
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
            buildSchemaOptions: { orphanedTypes: [Asset] },
            playground: false,
            introspection: true,
            includeStacktraceInErrorResponses: false,
            formatError: (formatted, error) => formatGraphQLError(formatted, error, MESSAGES),
            plugins: [operationMetricsPlugin(metrics), requestDeadlinePlugin(config.SUBGRAPH_REQUEST_DEADLINE_MS), ApolloServerPluginInlineTraceDisabled()],
            context: ({ res }: { res?: Parameters<typeof callerGoneSignal>[0] }): HistoryContext => ({
              trends: trends.createLoader(),
              signal: callerGoneSignal(res),
            }),
          }),
        }),
      ],
    };
  }

  onModuleInit(): void {
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
