import type { Alert } from '../alerts/alert.model';

/** Publishes alert changes to subscribers (EventBridge); at-least-once, deduplicated by `alertId` + `status`. */
export interface AlertBus {
  publish(changes: readonly Alert[]): Promise<void>;
}
