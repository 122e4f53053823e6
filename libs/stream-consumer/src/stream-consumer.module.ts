import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type HealthCheck, HealthRegistry, MetricsRegistry } from '@plant/observability';
import { type ConsumerSettings, KinesisConsumer } from './kinesis-consumer';
import type { LeaseTable } from './lease-table';
import type { RecordProcessor } from './record-processor';
import type { ShardSource } from './shard-source';

/** The stream and lease store a worker runs against (libs/adapters builds the AWS ones). */
export interface StreamConsumerBackends {
  leaseTable: LeaseTable;
  source: ShardSource;
  /** Readiness of the stream and of the lease table, registered on /health. */
  healthChecks?: readonly HealthCheck[];
  /** Releases the backends' clients; called at application shutdown, after the worker stopped. */
  close?(): void;
}

export interface StreamConsumerOptions {
  settings: ConsumerSettings;
  backends: StreamConsumerBackends;
  /** Receives every shard batch; handed over here, never looked up at run time. */
  processor: RecordProcessor;
}

export interface StreamConsumerAsyncOptions {
  /** Modules that provide what `inject` names (typically the module providing the processor). */
  imports?: ModuleMetadata['imports'];
  inject?: unknown[];
  useFactory: (...args: any[]) => StreamConsumerOptions | Promise<StreamConsumerOptions>;
}

const STREAM_CONSUMER_OPTIONS = Symbol('STREAM_CONSUMER_OPTIONS');

/**
 * Runs one Kinesis consumer worker inside a Nest app. The worker starts once every module is
 * initialised and stops gracefully in onModuleDestroy (app.close(), SIGTERM with
 * enableShutdownHooks): batches in the processor finish and are checkpointed, leases are released.
 * The processor's own sinks should therefore flush and close in beforeApplicationShutdown /
 * onApplicationShutdown, which Nest runs after every onModuleDestroy. Expects the global
 * ObservabilityModule (metrics and health registries).
 */
@Module({})
export class StreamConsumerModule implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('StreamConsumer');
  private consumer?: KinesisConsumer;

  constructor(
    @Inject(STREAM_CONSUMER_OPTIONS) private readonly options: StreamConsumerOptions,
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
  ) {
    for (const check of options.backends.healthChecks ?? []) health.register(check);
  }

  static forRoot(options: StreamConsumerOptions): DynamicModule {
    return { module: StreamConsumerModule, providers: [{ provide: STREAM_CONSUMER_OPTIONS, useValue: options }] };
  }

  /** Options built from providers, e.g. `inject: [RECORD_PROCESSOR]` with the module providing it in `imports`. */
  static forRootAsync(options: StreamConsumerAsyncOptions): DynamicModule {
    return {
      module: StreamConsumerModule,
      imports: options.imports ?? [],
      providers: [{ provide: STREAM_CONSUMER_OPTIONS, inject: (options.inject ?? []) as never[], useFactory: options.useFactory }],
    };
  }

  /** The running worker (for tests and diagnostics); undefined before bootstrap. */
  get worker(): KinesisConsumer | undefined {
    return this.consumer;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { settings, backends, processor } = this.options;
    this.consumer = new KinesisConsumer(settings, {
      leaseTable: backends.leaseTable,
      source: backends.source,
      processor,
      metrics: this.metrics,
      logger: this.logger,
    });
    this.health.register(this.consumer.healthCheck());
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }

  onApplicationShutdown(): void {
    this.options.backends.close?.();
  }
}
