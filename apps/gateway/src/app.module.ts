import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfigModule } from '@plant/config';
import { HealthRegistry, ObservabilityModule } from '@plant/observability';
import { GatewayConfig } from './config';

@Module({})
export class GatewayModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [AppConfigModule.forRoot(config), ObservabilityModule.forRoot({ app: 'gateway', logLevel: config.LOG_LEVEL })],
    };
  }

  /** The gateway is ready when the subgraph it cannot serve anything without answers. */
  onModuleInit(): void {
    const liveness = new URL('/health/live', this.config.KPI_SUBGRAPH_URL).toString();
    this.health.register({
      name: 'kpi-subgraph',
      async check() {
        const res = await fetch(liveness);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      },
    });
  }
}
