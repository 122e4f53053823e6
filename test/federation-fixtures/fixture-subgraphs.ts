import { AssetStore, buildAssetSubgraphSchema } from './asset-subgraph';
import { composeFixtureSupergraph } from './fixture-supergraph';
import { buildMaintenanceSubgraphSchema, MaintenanceStore } from './maintenance-subgraph';
import { RunningSubgraph, startSubgraphServer } from './subgraph-server';

export interface FixtureSubgraphs {
  assets: RunningSubgraph;
  maintenance: RunningSubgraph;
  assetStore: AssetStore;
  maintenanceStore: MaintenanceStore;
  supergraphSdl: string;
  stop(): Promise<void>;
}

/** Both test subgraphs on free ports (or the given ones), with the supergraph that points at them. */
export async function startFixtureSubgraphs(ports: { assets?: number; maintenance?: number } = {}): Promise<FixtureSubgraphs> {
  const assetStore = new AssetStore();
  const maintenanceStore = new MaintenanceStore();
  const assets = await startSubgraphServer('assets', buildAssetSubgraphSchema(assetStore), ports.assets ?? 0);
  const maintenance = await startSubgraphServer('maintenance', buildMaintenanceSubgraphSchema(maintenanceStore), ports.maintenance ?? 0);
  return {
    assets,
    maintenance,
    assetStore,
    maintenanceStore,
    supergraphSdl: composeFixtureSupergraph({ assets: assets.url, maintenance: maintenance.url }),
    async stop() {
      await Promise.all([assets.stop(), maintenance.stop()]);
    },
  };
}
