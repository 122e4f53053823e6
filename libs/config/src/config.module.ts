import { DynamicModule, Global, Module } from '@nestjs/common';

/** Injection token of an app's typed config object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Provides the app's config, already validated by `loadConfig` before the module graph is built. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot<C extends object>(config: C): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
