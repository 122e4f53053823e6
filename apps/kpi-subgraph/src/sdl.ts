import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { readFile } from 'node:fs/promises';
import { loadConfig } from '@plant/config';
import { KpiSubgraphModule } from './app.module';
import { KpiSubgraphConfigSchema } from './config';
import { SDL_FILE, SDL_PATH } from './graphql/graphql-options';
import { subgraphSdlOf, writeSdlFile } from './graphql/subgraph-sdl';

/**
 * `npm run sdl:kpi` rewrites the committed subgraph SDL that `npm run compose` reads;
 * `npm run sdl:kpi -- --check` exits 1 when the committed file is stale (CI). The schema is built
 * in memory from the resolvers; nothing connects to AWS and the change feed is not read.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const config = loadConfig(KpiSubgraphConfigSchema, { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(KpiSubgraphModule.forRoot(config, { schemaOnly: true }), { logger: false });
  try {
    await app.init();
    const { schema } = app.get(GraphQLSchemaHost);
    if (check) {
      const committed = await readFile(SDL_FILE, 'utf8').catch(() => '');
      if (committed !== (await subgraphSdlOf(schema))) {
        console.error(`${SDL_PATH} is stale: run npm run sdl:kpi and commit it`);
        process.exitCode = 1;
      } else console.log(`${SDL_PATH} is up to date`);
    } else {
      console.log((await writeSdlFile(schema, SDL_FILE)) ? `wrote ${SDL_PATH}` : `${SDL_PATH} unchanged`);
    }
  } finally {
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
