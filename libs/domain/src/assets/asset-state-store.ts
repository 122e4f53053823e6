import type { AssetState } from './asset-state';
import type { AssetStatus } from '../kpi/kpi.model';
import type { AssetChange } from '../ingest/batch-planner';
import { ConflictError } from '../errors';

/**
 * The assets' accounting states (port): read before a batch is planned, written last, after every
 * other sink acknowledged, so a crash before the write recomputes the same contributions on replay.
 */
export interface AssetStateStore {
  loadAssetStates(assetIds: readonly string[]): Promise<Map<string, AssetState | undefined>>;
  /**
   * Writes the assets' new states, conditional on the version each started from; rejects with
   * `StaleAssetStateError` when another writer moved one on (the batch is then retried from the store).
   */
  saveAssetStates(changes: readonly AssetChange[], updatedAt: string): Promise<void>;
  /** What the API shows of each state, in the order of the ids, undefined where absent (DataLoader-ready). */
  getAssetStatuses(assetIds: readonly string[]): Promise<(AssetStatus | undefined)[]>;
}

export class StaleAssetStateError extends ConflictError {
  constructor(readonly assetIds: string[]) {
    super(`asset state changed by another writer: ${assetIds.join(', ')}`);
  }
}
