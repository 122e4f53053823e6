import DataLoader from 'dataloader';
import { AwsLimits } from '@plant/config';
import type { AssetDirectory, AssetInfo, AssetStateStore, AssetStatus, KpiKey, KpiSnapshot, KpiWindowStore, LineInfo, PlantInfo } from '@plant/domain';

/** The ports the loaders read through (their read methods only). */
export interface KpiReadPorts {
  kpiWindows: Pick<KpiWindowStore, 'getCurrentKpis'>;
  assetDirectory: Pick<AssetDirectory, 'listPlants' | 'listLines' | 'getAssets'>;
  assetStates: Pick<AssetStateStore, 'getAssetStatuses'>;
}

/**
 * The per-request read side: every per-entity read of a GraphQL operation goes through one of
 * these, so N assets in one response (or N references in one `_entities` call) cost one batch
 * call of a port, and repeated ids cost nothing.
 */
export interface KpiLoaders {
  asset: DataLoader<string, AssetInfo | undefined>;
  assetStatus: DataLoader<string, AssetStatus | undefined>;
  currentKpi: DataLoader<KpiKey, KpiSnapshot | undefined, string>;
  linesOfPlant: DataLoader<string, LineInfo[]>;
  plants(): Promise<PlantInfo[]>;
}

export interface LoaderOptions {
  /**
   * False for subscriptions: their context lives as long as the subscription, and a cache would
   * serve every event the values read for the first one. Batching within one event stays.
   */
  cache: boolean;
}

/** One repository batch call reads at most what one DynamoDB BatchGetItem takes (AwsLimits). */
export const MAX_BATCH_SIZE = AwsLimits.dynamoDb.batchGetMaxKeys;

export function createKpiLoaders({ kpiWindows, assetDirectory, assetStates }: KpiReadPorts, options: LoaderOptions = { cache: true }): KpiLoaders {
  const { cache } = options;
  const maxBatchSize = MAX_BATCH_SIZE;
  let plants: Promise<PlantInfo[]> | undefined;
  return {
    asset: new DataLoader((ids) => assetDirectory.getAssets(ids), { cache, maxBatchSize }),
    assetStatus: new DataLoader((ids) => assetStates.getAssetStatuses(ids), { cache, maxBatchSize }),
    currentKpi: new DataLoader((keys) => kpiWindows.getCurrentKpis(keys), {
      cache,
      maxBatchSize,
      cacheKeyFn: (key) => `${key.scope}#${key.scopeId}#${key.window}`,
    }),
    // The port has no batch read of lines: one list call per plant, at most once per request.
    linesOfPlant: new DataLoader((plantIds) => Promise.all(plantIds.map((id) => assetDirectory.listLines(id))), { cache, maxBatchSize }),
    plants() {
      if (!cache) return assetDirectory.listPlants();
      plants ??= assetDirectory.listPlants();
      return plants;
    },
  };
}
