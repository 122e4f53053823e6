import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@plant/config';
import { runSdlScript } from '@plant/graphql';
import { MlSubgraphModule, SDL_COMMAND, SDL_FILE, SDL_PATH } from './app.module';
import { MlSubgraphConfigSchema } from './config';

/** `npm run sdl:ml [-- --check]`: the committed SDL from the in-memory schema; connects to nothing. */
const config = loadConfig(MlSubgraphConfigSchema, {
  // Building the schema serves no request: any internal secret will do.
  INTERNAL_AUTH_SECRET: randomBytes(32).toString('hex'),
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
});
runSdlScript(MlSubgraphModule.forRoot(config), SDL_FILE, SDL_PATH, SDL_COMMAND).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
