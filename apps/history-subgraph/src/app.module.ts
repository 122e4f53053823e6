import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@plant/config';
import { ObservabilityModule } from '@plant/observability';
import { HistorySubgraphConfig } from './config';

@Module({})
export class HistorySubgraphModule {
  static forRoot(config: HistorySubgraphConfig): DynamicModule {
    return {
      module: HistorySubgraphModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'history-subgraph', logLevel: config.LOG_LEVEL }),
      ],
    };
  }
}
