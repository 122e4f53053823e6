import 'reflect-metadata';
import { runApp } from '@plant/observability';
import { MlSubgraphModule } from './app.module';
import { MlSubgraphConfigSchema } from './config';

runApp(MlSubgraphConfigSchema, (config) => MlSubgraphModule.forRoot(config));
