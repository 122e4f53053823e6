import { composeSupergraph } from '../../tools/compose/compose-supergraph';
import { assetSubgraphSdl } from './asset-subgraph';
import { maintenanceSubgraphSdl } from './maintenance-subgraph';

/** Graph names of the fixtures; the gateway's URL overrides are keyed by them. */
export const FIXTURE_GRAPHS = { assets: 'assets', maintenance: 'maintenance' } as const;

/** The supergraph of the two test subgraphs, composed the same way `npm run compose` does. */
export function composeFixtureSupergraph(urls: { assets: string; maintenance: string }): string {
  return composeSupergraph([
    { name: FIXTURE_GRAPHS.assets, url: urls.assets, sdl: assetSubgraphSdl },
    { name: FIXTURE_GRAPHS.maintenance, url: urls.maintenance, sdl: maintenanceSubgraphSdl },
  ]);
}
