import type { SourceSystem } from '@plant/contracts';

/** One valid event as it arrived (its original bytes), for the lake's raw zone. */
export interface RawEvent {
  source: SourceSystem;
  eventTime: string;
  data: Uint8Array;
}

/**
 * The cold path (Firehose → raw zone); at-least-once. An event too large for one record of the sink
 * is stored by the adapter's stated rule (its contract fields, marked), never refused.
 */
export interface RawEventSink {
  /** `onAcknowledged` gets the indexes of the events stored so far, also when the put fails in the end. */
  put(events: readonly RawEvent[], onAcknowledged?: (indexes: readonly number[]) => void): Promise<void>;
}
