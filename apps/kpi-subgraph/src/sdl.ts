import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@plant/config';
import { runSdlScript } from '@plant/graphql';
import { KpiSubgraphModule } from './app.module';
import { KpiSubgraphConfigSchema } from './config';
import { SDL_COMMAND, SDL_FILE, SDL_PATH } from './graphql/graphql-options';

/**
 * `npm run sdl:kpi` rewrites the committed subgraph SDL that `npm run compose` reads;
 * `npm run sdl:kpi -- --check` exits 1 when the committed file is stale (CI). The schema is built
 * in memory from the resolvers; nothing connects to AWS and the change feed is not read.
 */
const config = loadConfig(KpiSubgraphConfigSchema, {
  // Building the schema serves no request: any internal secret will do.
  INTERNAL_AUTH_SECRET: randomBytes(32).toString('hex'),
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
});
runSdlScript(KpiSubgraphModule.forRoot(config, { schemaOnly: true }), SDL_FILE, SDL_PATH, SDL_COMMAND).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
