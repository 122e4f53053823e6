import 'reflect-metadata';
import { runApp } from '@plant/observability';
import { KpiSubgraphModule } from './app.module';
import { KpiSubgraphConfigSchema } from './config';

runApp(KpiSubgraphConfigSchema, (config) => KpiSubgraphModule.forRoot(config));
