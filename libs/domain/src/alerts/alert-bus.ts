import type { Alert } from './alert.model';

/**
 * How alert changes look on the bus: the publisher (libs/adapters/src/alert-bus.eventbridge.ts) and
 * the rules that route them (infra/src/constructs/alerting.ts) both read these values; `detail` is
 * the `Alert`.
 */
export const ALERT_EVENT_SOURCE = 'plant.stream-writer';

/** One detail-type per status the alert changed to, so rules can subscribe to raises only. */
export const ALERT_DETAIL_TYPES = {
  open: 'Alert Raised',
  acknowledged: 'Alert Acknowledged',
  cleared: 'Alert Cleared',
} as const satisfies Record<Alert['status'], string>;

/** Publishes alert changes to subscribers (EventBridge); at-least-once, deduplicated by `alertId` + `status`. */
export interface AlertBus {
  publish(changes: readonly Alert[]): Promise<void>;
}
