import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { z } from 'zod';
import { ConfigError, loadConfig } from '@plant/config';

/**
 * Creates and starts a NestJS app the same way for every service: pino as the Nest logger,
 * graceful shutdown hooks (SIGTERM/SIGINT close servers and run onModuleDestroy).
 */
export async function startApp(module: DynamicModule, port: number, host = '0.0.0.0'): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(port, host);
  return app;
}

/**
 * An app's `main`: validates the environment first (a bad variable prints every problem and exits
 * with code 1 before anything starts), then builds the root module from the typed config and listens.
 */
export function runApp<S extends z.ZodType<{ PORT: number }>>(
  schema: S,
  rootModule: (config: z.infer<S>) => DynamicModule,
): void {
  let config: z.infer<S>;
  try {
    config = loadConfig(schema);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  startApp(rootModule(config), config.PORT).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
