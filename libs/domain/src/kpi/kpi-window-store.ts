import type { KpiScope, KpiSnapshot, KpiWindow } from './kpi.model';
import type { KpiDelta } from '../ingest/batch-planner';

export interface KpiKey {
  scope: KpiScope;
  scopeId: string;
  window: KpiWindow;
}

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
 * The KPI windows (port): written by the stream-writer, read by the kpi-subgraph. Every KPI item
 * carries, per shard, the sequence number of the last batch applied to it; `applyKpiDeltas` adds a
 * delta only when that mark is older than the delta's first event, atomically with moving the mark
 * (idempotent replays).
 */
export interface KpiWindowStore {
  applyKpiDeltas(shardId: string, deltas: readonly KpiDelta[]): Promise<KpiApplyResult>;
  /** The current window instance of each key, in the order of the keys (undefined where absent: DataLoader-ready). */
  getCurrentKpis(keys: readonly KpiKey[]): Promise<(KpiSnapshot | undefined)[]>;
}
