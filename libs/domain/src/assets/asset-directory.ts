import type { Hierarchy } from '@plant/contracts';
import type { AssetInfo, LineInfo, PlantInfo } from '../kpi/kpi.model';
import type { Page, PageRequest } from '../page';

/** The plant → line → asset directory the API lists (port); written when an asset is seen for the first time. */
export interface AssetDirectory {
  /** Directory entries (plant, line, asset) for assets seen for the first time; idempotent. */
  registerAssets(hierarchies: readonly Hierarchy[]): Promise<void>;
  listPlants(): Promise<PlantInfo[]>;
  listLines(plantId: string): Promise<LineInfo[]>;
  listAssets(lineId: string, page: PageRequest): Promise<Page<AssetInfo>>;
  /** In the order of the ids, undefined where absent (DataLoader-ready). */
  getAssets(assetIds: readonly string[]): Promise<(AssetInfo | undefined)[]>;
}
