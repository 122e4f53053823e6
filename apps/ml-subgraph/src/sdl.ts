import 'reflect-metadata';
import { runSubgraphSdlMain } from '@plant/graphql';
import { MlSubgraphModule } from './app.module';
import { MlSubgraphConfigSchema } from './config';

/** `npm run sdl:ml [-- --check]`: the committed SDL from the in-memory schema; connects to nothing. */
runSubgraphSdlMain('ml', MlSubgraphConfigSchema, (config) => MlSubgraphModule.forRoot(config));
