import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { loadConfig } from '@plant/config';
import { runSdlCommand } from '@plant/graphql';
import { KpiSubgraphModule } from './app.module';
import { KpiSubgraphConfigSchema } from './config';
import { SDL_COMMAND, SDL_FILE, SDL_PATH } from './graphql/graphql-options';

/**
 * `npm run sdl:kpi` rewrites the committed subgraph SDL that `npm run compose` reads;
 * `npm run sdl:kpi -- --check` exits 1 when the committed file is stale (CI). The schema is built
 * in memory from the resolvers; nothing connects to AWS and the change feed is not read.
 */
async function main(): Promise<void> {
  const config = loadConfig(KpiSubgraphConfigSchema, { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(KpiSubgraphModule.forRoot(config, { schemaOnly: true }), { logger: false, abortOnError: false });
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
