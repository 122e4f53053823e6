import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { loadConfig } from '@plant/config';
import { runSdlCommand } from '@plant/graphql';
import { HistorySubgraphModule, SDL_COMMAND, SDL_FILE, SDL_PATH } from './app.module';
import { HistorySubgraphConfigSchema } from './config';

/** `npm run sdl:history [-- --check]`: the committed SDL from the in-memory schema; connects to nothing. */
async function main(): Promise<void> {
  const config = loadConfig(HistorySubgraphConfigSchema, { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(HistorySubgraphModule.forRoot(config), { logger: false, abortOnError: false });
  try {
    await app.init();
    await runSdlCommand(app.get(GraphQLSchemaHost).schema, SDL_FILE, SDL_PATH, SDL_COMMAND);
  } finally {
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
