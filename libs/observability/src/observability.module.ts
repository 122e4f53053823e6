import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health.registry';
import { MetricsRegistry } from './metrics';
import { MetricsController } from './metrics.controller';

export interface ObservabilityOptions {
  app: string;
  logLevel: string;
}

/** `/health`, `/metrics` and structured JSON logs (pino) for every app. */
@Global()
@Module({})
export class ObservabilityModule implements OnModuleInit {
  private static app = 'app';

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(options: ObservabilityOptions): DynamicModule {
    ObservabilityModule.app = options.app;
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.logLevel,
            base: { app: options.app },
            // Probes and scrapes would drown the request log.
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [MetricsRegistry, HealthRegistry],
      exports: [MetricsRegistry, HealthRegistry],
    };
  }

  onModuleInit(): void {
    this.metrics.init(ObservabilityModule.app);
    this.health.app = ObservabilityModule.app;
  }
}
