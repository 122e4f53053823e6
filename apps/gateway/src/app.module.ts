import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@plant/config';
import { ObservabilityModule } from '@plant/observability';
import { GatewayConfig } from './config';
import { DashboardController } from './dashboard/dashboard.controller';
import { GatewayService } from './gateway.service';

/** The federated GraphQL gateway: Hive Gateway runtime on /graphql, plus /health and /metrics. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [AppConfigModule.forRoot(config), ObservabilityModule.forRoot({ app: 'gateway', logLevel: config.LOG_LEVEL })],
      controllers: [DashboardController],
      providers: [GatewayService],
      exports: [GatewayService],
    };
  }
}
