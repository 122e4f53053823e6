import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DuckDbTrainingSetQuery, SageMakerFailureRiskModel, SageMakerFeatureStore } from '@plant/adapters';
import { AwsClients } from '@plant/aws';
import { APP_CONFIG, AppConfigModule, ASSET_HEALTH_FEATURE_GROUP, awsConnectionOf, FEATURE_GROUPS } from '@plant/config';
import type { FeatureStore } from '@plant/domain';
import { ClientErrorFilter, SubgraphAuth, subgraphGraphqlModule, subgraphSdlFile, syncSdlFileInDevelopment } from '@plant/graphql';
import { HealthRegistry, MetricsRegistry, ObservabilityModule } from '@plant/observability';
import { MlSubgraphConfig } from './config';
import { Asset, Line } from './features/feature.models';
import { FeatureService } from './features/feature.service';
import { FeaturesModule } from './features/features.module';
import type { MlContext } from './features/ml-context';
import { TrainingModule } from './training/training.module';
import { PredictionsModule } from './predictions/predictions.module';

export const { path: SDL_PATH, file: SDL_FILE, command: SDL_COMMAND } = subgraphSdlFile('ml');
const MESSAGES = { unavailable: 'The feature store is unavailable; retry later' };

export interface MlSubgraphOptions {
  /** The feature freshness clock (tests); Date.now otherwise. */
  clock?: () => number;
}

/** A FeatureStore that counts its SDK calls on /metrics (`ml_feature_store_calls_total`). */
function featureStoreOf(config: MlSubgraphConfig, client: AwsClients['featureStore']): { store: FeatureStore; bind(metrics: MetricsRegistry): void } {
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

/** Online features (SageMaker Feature Store) as fields of the federated Asset and Line; point-in-time training sets. */
@Module({})
export class MlSubgraphModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private static clients?: AwsClients;

  constructor(
    @Inject(APP_CONFIG) private readonly config: MlSubgraphConfig,
    private readonly health: HealthRegistry,
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly features: FeatureService,
  ) {}

  static forRoot(config: MlSubgraphConfig, options: MlSubgraphOptions = {}): DynamicModule {
    const clients = new AwsClients(awsConnectionOf(config));
    MlSubgraphModule.clients = clients;
    const featureStore = featureStoreOf(config, clients.featureStore);
    const features = FeaturesModule.forRoot(featureStore.store, options.clock);
    let countInvocation = () => undefined as void;
    const predictions = PredictionsModule.forRoot(new SageMakerFailureRiskModel(clients.sagemakerRuntime, { onCall: () => countInvocation() }), options.clock);
    const auth = new SubgraphAuth(config.INTERNAL_AUTH_SECRET);
    return {
      module: MlSubgraphModule,
      imports: [
        features,
        TrainingModule.forRoot(new DuckDbTrainingSetQuery(config.LAKE_DIR), config.LAKE_DIR),
        predictions,
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'ml-subgraph', logLevel: config.LOG_LEVEL }),
        subgraphGraphqlModule({
          imports: [features],
          inject: [MetricsRegistry, FeatureService],
          useFactory: (metrics: MetricsRegistry, service: FeatureService) => {
            featureStore.bind(metrics);
            const invocations = metrics.counter('ml_model_invocations_total', 'InvokeEndpoint calls of the failure-risk model (one per DataLoader batch)');
            countInvocation = () => invocations.inc();
            return {
              auth,
              metrics,
              requestDeadlineMs: config.SUBGRAPH_REQUEST_DEADLINE_MS,
              publicMessages: MESSAGES,
              orphanedTypes: [Asset, Line],
              // The caller is the identity the gateway signed (401 without one); its plants scope every record.
              context: ({ identity, signal }): MlContext => ({ identity, features: service.createLoaders(FEATURE_GROUPS), signal }),
            };
          },
        }),
      ],
      providers: [{ provide: APP_FILTER, useClass: ClientErrorFilter }],
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
    await syncSdlFileInDevelopment(this.config.NODE_ENV, this.schemaHost.schema, subgraphSdlFile('ml'), new Logger('MlSubgraph'));
  }

  onApplicationShutdown(): void {
    MlSubgraphModule.clients?.destroy();
  }
}
