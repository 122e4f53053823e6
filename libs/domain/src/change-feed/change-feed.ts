import type { Alert } from '../alerts/alert.model';
import type { KpiSnapshot } from '../kpi/kpi.model';

/**
 * The live change feed: what the stream-writer publishes after its sinks acknowledged a batch,
 * and what every kpi-subgraph replica reads to push subscriptions. Versioned like the event contract.
 */
export type ChangeFeedMessage =
  | { version: 1; type: 'kpi-updated'; kpi: KpiSnapshot }
  | { version: 1; type: 'alert-changed'; alert: Alert };

/** Publishing side (port), used by the stream-writer. */
export interface ChangeFeedPublisher {
  publish(messages: readonly ChangeFeedMessage[]): Promise<void>;
}

/**
 * Reading side (port), used by subgraph replicas: each replica reads the whole feed from "now" on
 * (no checkpoints: subscriptions are live, a restarted replica does not replay history).
 */
export interface ChangeFeedReader {
  /** Calls `onMessage` for every message until the returned stop function is called. */
  start(onMessage: (message: ChangeFeedMessage) => void): Promise<() => Promise<void>>;
}
