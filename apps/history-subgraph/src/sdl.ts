import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@plant/config';
import { runSdlScript } from '@plant/graphql';
import { HistorySubgraphModule, SDL_COMMAND, SDL_FILE, SDL_PATH } from './app.module';
import { HistorySubgraphConfigSchema } from './config';

/** `npm run sdl:history [-- --check]`: the committed SDL from the in-memory schema; connects to nothing. */
const config = loadConfig(HistorySubgraphConfigSchema, {
  // Building the schema serves no request: any internal secret will do.
  INTERNAL_AUTH_SECRET: randomBytes(32).toString('hex'),
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
});
runSdlScript(HistorySubgraphModule.forRoot(config), SDL_FILE, SDL_PATH, SDL_COMMAND).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
