import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@plant/config';
import { ObservabilityModule } from '@plant/observability';
import { GatewayConfig } from './config';
import { DashboardController } from './dashboard/dashboard.controller';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GATEWAY_EXTRA_PLUGINS, GatewayService } from './gateway.service';

/** The federated GraphQL gateway: Hive Gateway runtime on /graphql, plus /health and /metrics. */
@Module({})
export class GatewayModule {
  /** `plugins`: extra runtime plugins (tests stand in for the auth work's identity with one). */
  static forRoot(config: GatewayConfig, plugins: GatewayPlugin[] = []): DynamicModule {
    return {
      module: GatewayModule,
      imports: [AppConfigModule.forRoot(config), ObservabilityModule.forRoot({ app: 'gateway', logLevel: config.LOG_LEVEL })],
      controllers: [DashboardController],
      providers: [GatewayService, { provide: GATEWAY_EXTRA_PLUGINS, useValue: plugins }],
      exports: [GatewayService],
    };
  }
}
