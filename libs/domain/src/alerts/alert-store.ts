import type { Alert, AlertSeverity, AlertStatus } from './alert.model';
import type { Page, PageRequest } from '../page';

export interface AlertFilter {
  plantId?: string;
  /** Only alerts of these plants (the caller's row filter); undefined = every plant. */
  plantIds?: readonly string[];
  lineId?: string;
  assetId?: string;
  status?: AlertStatus;
  minSeverity?: AlertSeverity;
}

/** The stored alert states behind listAlerts/acknowledgeAlert (port), written from each batch's alert changes. */
export interface AlertStore {
  /** Idempotent: raising never reopens, clearing is final. */
  saveAlertChanges(changes: readonly Alert[]): Promise<void>;
  /** Newest first. */
  listAlerts(filter: AlertFilter, page: PageRequest): Promise<Page<Alert>>;
  getAlert(alertId: string): Promise<Alert | undefined>;
  /** Marks an open alert acknowledged; returns the updated alert (unchanged when not open). */
  acknowledgeAlert(alertId: string, by: string, at: string): Promise<Alert | undefined>;
}
