import type { Alert, AlertSeverity, AlertStatus } from '../alerts/alert.model';
import type { AssetInfo, AssetStatus, KpiScope, KpiSnapshot, KpiWindow, LineInfo, PlantInfo } from './kpi.model';

export interface KpiKey {
  scope: KpiScope;
  scopeId: string;
  window: KpiWindow;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `after` for the next page; undefined on the last page. */
  endCursor?: string;
}

export interface PageRequest {
  first: number;
  after?: string;
}

export interface AlertFilter {
  plantId?: string;
  /** Only alerts of these plants (the caller's row filter); undefined = every plant. */
  plantIds?: readonly string[];
  lineId?: string;
  assetId?: string;
  status?: AlertStatus;
  minSeverity?: AlertSeverity;
}

/**
 * Read side of the KPI store (port). The kpi-subgraph reads through it only; batch methods
 * return results in the order of the keys (undefined where absent) so DataLoaders can use them.
 */
export interface KpiRepository {
  listPlants(): Promise<PlantInfo[]>;
  listLines(plantId: string): Promise<LineInfo[]>;
  listAssets(lineId: string, page: PageRequest): Promise<Page<AssetInfo>>;
  getAssets(assetIds: readonly string[]): Promise<(AssetInfo | undefined)[]>;
  getAssetStatuses(assetIds: readonly string[]): Promise<(AssetStatus | undefined)[]>;
  /** The current window instance of each key. */
  getCurrentKpis(keys: readonly KpiKey[]): Promise<(KpiSnapshot | undefined)[]>;
  listAlerts(filter: AlertFilter, page: PageRequest): Promise<Page<Alert>>;
  getAlert(alertId: string): Promise<Alert | undefined>;
  /** Marks an open alert acknowledged; returns the updated alert (unchanged when not open). */
  acknowledgeAlert(alertId: string, by: string, at: string): Promise<Alert | undefined>;
}
