import 'reflect-metadata';
import { runApp } from '@plant/observability';
import { HistorySubgraphModule } from './app.module';
import { HistorySubgraphConfigSchema } from './config';

runApp(HistorySubgraphConfigSchema, (config) => HistorySubgraphModule.forRoot(config));
