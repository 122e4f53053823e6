import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SageMakerFailureRiskModel, SageMakerFeatureStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { APP_CONFIG, AppConfigModule, ASSET_HEALTH_FEATURE_GROUP, awsConnectionOf, FEATURE_GROUPS } from '@plant/config';
import type { FeatureStore } from '@plant/domain';
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
import { MlSubgraphConfig } from './config';
import { Asset, Line } from './features/feature.models';
import { FeatureService } from './features/feature.service';
import { FeaturesModule } from './features/features.module';
import type { MlContext } from './features/ml-context';
import { PredictionsModule } from './predictions/predictions.module';

export const SDL_PATH = 'apps/ml-subgraph/schema.graphql';
export const SDL_FILE = `${__dirname}/../schema.graphql`;
export const SDL_COMMAND = 'npm run sdl:ml';
const MESSAGES = { unavailable: 'The feature store is unavailable; retry later' };

export interface MlSubgraphOptions {
  /** The feature freshness clock (tests); Date.now otherwise. */
  clock?: () => number;
}

/** A FeatureStore that counts its SDK calls on /metrics (`ml_feature_store_calls_total`). */
function featureStoreOf(config: MlSubgraphConfig, client: SageMakerFeatureStoreRuntimeClient): { store: FeatureStore; bind(metrics: MetricsRegistry): void } {
  let count: (operation: string) => void = () => undefined;
  const store = new SageMakerFeatureStore(client, { onCall: (operation) => count(operation) });
  return {
    store,
    bind(metrics) {
      const calls = metrics.counter('ml_feature_store_calls_total', 'Feature Store runtime calls, by operation', ['operation']);
      count = (operation) => calls.inc({ operation });
    },
  };
}

/** Online features (SageMaker Feature Store) as fields of the federated Asset and Line. */
@Module({})
export class MlSubgraphModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private static client?: SageMakerFeatureStoreRuntimeClient;
  private static runtimeClient?: SageMakerRuntimeClient;

  constructor(
    @Inject(APP_CONFIG) private readonly config: MlSubgraphConfig,
    private readonly health: HealthRegistry,
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly features: FeatureService,
  ) {}

  static forRoot(config: MlSubgraphConfig, options: MlSubgraphOptions = {}): DynamicModule {
    const client = createClient(SageMakerFeatureStoreRuntimeClient, awsConnectionOf(config));
    MlSubgraphModule.client = client;
    const featureStore = featureStoreOf(config, client);
    const features = FeaturesModule.forRoot(featureStore.store, options.clock);
    const runtimeClient = createClient(SageMakerRuntimeClient, awsConnectionOf(config));
    MlSubgraphModule.runtimeClient = runtimeClient;
    let countInvocation = () => undefined as void;
    const predictions = PredictionsModule.forRoot(new SageMakerFailureRiskModel(runtimeClient, { onCall: () => countInvocation() }), options.clock);
    const auth = new SubgraphAuth(config.INTERNAL_AUTH_SECRET);
    return {
      module: MlSubgraphModule,
      imports: [
        features,
        predictions,
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'ml-subgraph', logLevel: config.LOG_LEVEL }),
        GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          imports: [features],
          inject: [MetricsRegistry, FeatureService],
          useFactory: (metrics: MetricsRegistry, service: FeatureService) => {
            featureStore.bind(metrics);
            const invocations = metrics.counter('ml_model_invocations_total', 'InvokeEndpoint calls of the failure-risk model (one per DataLoader batch)');
            countInvocation = () => invocations.inc();
            return {
              path: '/graphql',
              autoSchemaFile: { federation: FEDERATION },
              buildSchemaOptions: { orphanedTypes: [Asset, Line] },
              playground: false,
              introspection: true,
              includeStacktraceInErrorResponses: false,
              formatError: (formatted, error) => formatGraphQLError(formatted, error, MESSAGES),
              plugins: [operationMetricsPlugin(metrics), requestDeadlinePlugin(config.SUBGRAPH_REQUEST_DEADLINE_MS), ApolloServerPluginInlineTraceDisabled()],
              // The caller is the identity the gateway signed (401 without one); its plants scope every record.
              context: async (transport: SubgraphTransport): Promise<MlContext> => ({
                identity: await auth.identityOfTransport(transport),
                features: service.createLoaders(FEATURE_GROUPS),
                signal: callerGoneSignal(transport.res),
              }),
            };
          },
        }),
      ],
    };
  }

  /** Ready when the Feature Store runtime answers a read of the asset-health group. */
  onModuleInit(): void {
    const loaders = this.features.createLoaders([ASSET_HEALTH_FEATURE_GROUP]);
    this.health.register({
      name: `featurestore:${ASSET_HEALTH_FEATURE_GROUP.name}`,
      check: async () => {
        await loaders.get(ASSET_HEALTH_FEATURE_GROUP.name)!.load('__health__');
      },
    });
  }

  /** In development the committed SDL follows the code on every start. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.NODE_ENV !== 'development') return;
    if (await writeSdlFile(this.schemaHost.schema, SDL_FILE, SDL_COMMAND)) new Logger('MlSubgraph').warn(`${SDL_PATH} updated: commit it`);
  }

  onApplicationShutdown(): void {
    MlSubgraphModule.client?.destroy();
    MlSubgraphModule.runtimeClient?.destroy();
  }
}
