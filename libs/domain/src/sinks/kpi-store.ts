import type { Hierarchy } from '@plant/contracts';
import type { Alert } from '../alerts/alert.model';
import type { AssetState } from '../assets/asset-state';
import type { KpiSnapshot } from '../kpi/kpi.model';
import type { AssetChange, KpiDelta } from '../ingest/batch-planner';

/** A KPI item whose stored mark for the shard lies inside the delta's sequence range: partly applied before. */
export interface PartlyAppliedItem {
  itemId: string;
  storedMark: string;
}

export interface KpiApplyResult {
  /** The items as stored after this write (for the change feed). */
  updated: KpiSnapshot[];
  /** Items skipped because the shard's mark already covers the whole delta (a replay). */
  alreadyApplied: number;
  /** Items to recompute without the contributions at or before `storedMark`, then apply again. */
  partlyApplied: PartlyAppliedItem[];
}

/**
 * Write side of the KPI table (port). Every KPI item carries, per shard, the sequence number of the
 * last batch applied to it; `applyKpiDeltas` adds a delta only when that mark is older than the
 * delta's first event, atomically with moving the mark (idempotent replays).
 */
export interface KpiStore {
  loadAssetStates(assetIds: readonly string[]): Promise<Map<string, AssetState | undefined>>;
  applyKpiDeltas(shardId: string, deltas: readonly KpiDelta[]): Promise<KpiApplyResult>;
  /** Directory entries (plant, line, asset) for assets seen for the first time; idempotent. */
  registerAssets(hierarchies: readonly Hierarchy[]): Promise<void>;
  /** Alert state for listAlerts/acknowledgeAlert; idempotent (raising never reopens, clearing is final). */
  saveAlertChanges(changes: readonly Alert[]): Promise<void>;
  /**
   * Writes the assets' new states, conditional on the version each started from; rejects with
   * `StaleAssetStateError` when another writer moved one on (the batch is then retried from the store).
   */
  saveAssetStates(changes: readonly AssetChange[], updatedAt: string): Promise<void>;
}

export class StaleAssetStateError extends Error {
  constructor(readonly assetIds: string[]) {
    super(`asset state changed by another writer: ${assetIds.join(', ')}`);
    this.name = 'StaleAssetStateError';
  }
}
