import 'reflect-metadata';
import { runSubgraphSdlMain } from '@plant/graphql';
import { KpiSubgraphModule } from './app.module';
import { KpiSubgraphConfigSchema } from './config';

/**
 * `npm run sdl:kpi` rewrites the committed subgraph SDL that `npm run compose` reads;
 * `npm run sdl:kpi -- --check` exits 1 when the committed file is stale (CI). The schema is built
 * in memory from the resolvers; nothing connects to AWS and the change feed is not read.
 */
runSubgraphSdlMain('kpi', KpiSubgraphConfigSchema, (config) => KpiSubgraphModule.forRoot(config, { schemaOnly: true }));
