import { DefaultPorts } from '@plant/config';

/** One subgraph that takes part in the supergraph: its name in `join__Graph` and its committed SDL. */
export interface SubgraphSource {
  /** Graph name in the supergraph; the gateway overrides the URL per name (KPI_SUBGRAPH_URL, ...). */
  name: string;
  /** Path of the committed SDL, relative to the repository root. */
  sdlPath: string;
  /** URL written into the supergraph: the local default; deployments override it in the gateway's config. */
  url: string;
}

const local = (port: number) => `http://127.0.0.1:${port}/graphql`;

/** The subgraphs composed by `npm run compose`; each name must match the gateway's URL override (config.ts). */
export const SUBGRAPHS: SubgraphSource[] = [
  { name: 'kpi', sdlPath: 'apps/kpi-subgraph/schema.graphql', url: local(DefaultPorts.kpiSubgraph) },
  { name: 'history', sdlPath: 'apps/history-subgraph/schema.graphql', url: local(DefaultPorts.historySubgraph) },
  { name: 'ml', sdlPath: 'apps/ml-subgraph/schema.graphql', url: local(DefaultPorts.mlSubgraph) },
];

/** Where the composed supergraph is committed; the gateway reads it (SUPERGRAPH_PATH). */
export const SUPERGRAPH_PATH = 'apps/gateway/supergraph.graphql';
