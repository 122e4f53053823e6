import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createClient, dynamoTableReady } from '@plant/aws';
import { APP_CONFIG, AppConfigModule, awsConnectionOf } from '@plant/config';
import { HealthRegistry, ObservabilityModule } from '@plant/observability';
import { KpiSubgraphConfig } from './config';

@Module({})
export class KpiSubgraphModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: KpiSubgraphConfig,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(config: KpiSubgraphConfig): DynamicModule {
    return {
      module: KpiSubgraphModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'kpi-subgraph', logLevel: config.LOG_LEVEL }),
      ],
    };
  }

  onModuleInit(): void {
    const dynamodb = createClient(DynamoDBClient, awsConnectionOf(this.config));
    this.health.register(dynamoTableReady(dynamodb, this.config.KPI_TABLE));
  }
}
