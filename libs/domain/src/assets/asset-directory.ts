import type { Hierarchy } from '@plant/contracts';

/** The plant → line → asset directory the API lists (port); written when an asset is seen for the first time. */
export interface AssetDirectory {
  /** Directory entries (plant, line, asset) for assets seen for the first time; idempotent. */
  registerAssets(hierarchies: readonly Hierarchy[]): Promise<void>;
}
