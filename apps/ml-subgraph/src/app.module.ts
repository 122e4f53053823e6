import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@plant/config';
import { ObservabilityModule } from '@plant/observability';
import { MlSubgraphConfig } from './config';

@Module({})
export class MlSubgraphModule {
  static forRoot(config: MlSubgraphConfig): DynamicModule {
    return {
      module: MlSubgraphModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'ml-subgraph', logLevel: config.LOG_LEVEL }),
      ],
    };
  }
}
