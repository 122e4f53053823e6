import 'reflect-metadata';
import { runSubgraphSdlMain } from '@plant/graphql';
import { HistorySubgraphModule } from './app.module';
import { HistorySubgraphConfigSchema } from './config';

/** `npm run sdl:history [-- --check]`: the committed SDL from the in-memory schema; connects to nothing. */
runSubgraphSdlMain('history', HistorySubgraphConfigSchema, (config) => HistorySubgraphModule.forRoot(config));
