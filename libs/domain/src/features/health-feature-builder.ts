import type { PlantEvent } from '@plant/contracts';
import { ASSET_HEALTH_FEATURE_GROUP, FeatureGroupDefinition, LINE_HEALTH_FEATURE_GROUP } from '@plant/config';
import type { KpiSnapshot } from '../kpi/kpi.model';
import type { FeatureRecordWrite } from './feature-store';
import { AssetHealthWindow, FeatureValues, lineFeatures, sameFeatureValues } from './health-features';

/**
 * Turns batches of plant events (and the KPI snapshots the KPI store produced for them) into
 * asset-health and line-health records, and remembers what was written so that only records whose
 * values changed are written again: a replayed batch yields no write at all. Pure: the caller
 * writes the records through the FeatureStore port and then calls `written`.
 *
 * A line's record sums the assets this process reads (its shards); with one stream-writer that is
 * every asset of the line (see docs/ml.md for several workers).
 */
export class HealthFeatureBuilder {
  private readonly assets = new Map<string, AssetHealthWindow>();
  private readonly lineKpi = new Map<string, { oee15m?: { start: string; oee: number }; oeeShift?: { start: string; oee: number } }>();
  private readonly lastWritten = new Map<string, FeatureValues>();
  /** Records computed but not acknowledged yet: a retried batch (whose events are all seen) still sends them. */
  private readonly pending = new Map<string, FeatureRecordWrite>();

  constructor(
    private readonly assetGroup: FeatureGroupDefinition = ASSET_HEALTH_FEATURE_GROUP,
    private readonly lineGroup: FeatureGroupDefinition = LINE_HEALTH_FEATURE_GROUP,
    /**
     * A record already written is written again only once its event time moved on by this much
     * (event time, so replays decide the same). Rolling 5/60-minute statistics barely move within
     * seconds, and each write is a Feature Store call on the hot path; 0 writes every change.
     */
    private readonly minWriteIntervalMs = 0,
  ) {}

  /** The records of every asset and line the batch touched whose values differ from the last written. */
  fold(events: readonly PlantEvent[], snapshots: readonly KpiSnapshot[] = []): FeatureRecordWrite[] {
    const touchedAssets = new Set<string>();
    const touchedLines = new Map<string, string>();
    for (const event of events) {
      let window = this.assets.get(event.assetId);
      if (!window) {
        window = new AssetHealthWindow(event.assetId, event.lineId, event.plantId);
        this.assets.set(event.assetId, window);
      }
      if (window.apply(event)) {
        touchedAssets.add(event.assetId);
        touchedLines.set(event.lineId, event.plantId);
      }
    }
    // Once per batch, not per event: pruning walks the asset's whole 60-minute window.
    for (const assetId of touchedAssets) this.assets.get(assetId)!.prune();
    for (const snapshot of snapshots) {
      if (snapshot.scope === 'asset') {
        const window = this.assets.get(snapshot.scopeId);
        if (!window) continue;
        window.applyKpi(snapshot);
        touchedAssets.add(snapshot.scopeId);
      } else if (snapshot.scope === 'line' && (snapshot.window === '15m' || snapshot.window === 'shift')) {
        const kpi = this.lineKpi.get(snapshot.scopeId) ?? {};
        const key = snapshot.window === '15m' ? 'oee15m' : 'oeeShift';
        if (!kpi[key] || kpi[key].start <= snapshot.windowStart) kpi[key] = { start: snapshot.windowStart, oee: snapshot.figures.oee };
        this.lineKpi.set(snapshot.scopeId, kpi);
        if (this.lineHasAssets(snapshot.scopeId)) touchedLines.set(snapshot.scopeId, snapshot.hierarchy.plantId);
      }
    }
    for (const assetId of touchedAssets) {
      const window = this.assets.get(assetId)!;
      this.collect(this.assetGroup, assetId, window.newestMs, () => window.features());
    }
    for (const [lineId, plantId] of touchedLines) {
      const assets = [...this.assets.values()].filter((a) => a.lineId === lineId);
      const kpi = this.lineKpi.get(lineId);
      const newestMs = Math.max(...assets.map((a) => a.newestMs));
      this.collect(this.lineGroup, lineId, newestMs, () => lineFeatures(lineId, plantId, assets, { oee15m: kpi?.oee15m?.oee, oeeShift: kpi?.oeeShift?.oee }));
    }
    return [...this.pending.values()];
  }

  /** Records the store acknowledged: the next fold skips them unless a value changes. */
  written(records: readonly FeatureRecordWrite[]): void {
    for (const record of records) {
      const key = keyOf(record.featureGroupName, this.idOf(record));
      this.lastWritten.set(key, { ...record.values });
      if (this.pending.get(key) === record) this.pending.delete(key);
    }
  }

  /**
   * Queues the record when it is due: always while unacknowledged (it is sent anyway), else once its
   * event time enters the next interval (each record at its own phase, from its key, so refreshes of
   * many records spread over the batches) and a value other than the event time changed. The values
   * are computed only when due: computing them walks the record's whole 60-minute window.
   */
  private collect(group: FeatureGroupDefinition, id: string, newestMs: number, valuesOf: () => FeatureValues): void {
    const key = keyOf(group.name, id);
    const last = this.lastWritten.get(key);
    if (last && !this.pending.has(key) && this.minWriteIntervalMs > 0) {
      const phase = phaseOf(key, this.minWriteIntervalMs);
      const slot = (timeMs: number) => Math.floor((timeMs + phase) / this.minWriteIntervalMs);
      if (slot(newestMs) <= slot(Date.parse(last[group.eventTimeFeatureName]))) return;
    }
    const values = valuesOf();
    if (sameFeatureValues(last, values, group.eventTimeFeatureName)) {
      this.pending.delete(key);
      return;
    }
    this.pending.set(key, { featureGroupName: group.name, values, retentionSeconds: group.retentionSeconds });
  }

  private idOf(record: FeatureRecordWrite): string {
    const group = record.featureGroupName === this.lineGroup.name ? this.lineGroup : this.assetGroup;
    return record.values[group.recordIdentifierFeatureName];
  }

  private lineHasAssets(lineId: string): boolean {
    for (const asset of this.assets.values()) if (asset.lineId === lineId) return true;
    return false;
  }
}

const keyOf = (group: string, id: string) => `${group}\u0000${id}`;

/** A stable offset in [0, interval) per record key (FNV-1a), so refreshes of many records interleave. */
function phaseOf(key: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash % intervalMs;
}
