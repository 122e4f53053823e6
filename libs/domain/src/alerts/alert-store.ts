import type { Alert } from './alert.model';

/** The stored alert states behind listAlerts/acknowledgeAlert (port), written from each batch's alert changes. */
export interface AlertStore {
  /** Idempotent: raising never reopens, clearing is final. */
  saveAlertChanges(changes: readonly Alert[]): Promise<void>;
}
