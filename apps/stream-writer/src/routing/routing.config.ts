import { EnvNames, intVar, resourceNameVar, ResourceNames, TrendStoreConfig, trendStoreConfigShape } from '@plant/config';
import { DEFAULT_EVENT_TIME_BOUNDS, EventTimeBounds } from '@plant/contracts';

/** The router's part of the stream-writer's config schema (spread into StreamWriterConfigSchema). */
export const routingConfigShape = {
  [EnvNames.TIMESTREAM_DATABASE]: resourceNameVar(ResourceNames.timestreamDatabase),
  [EnvNames.TIMESTREAM_TABLE]: resourceNameVar(ResourceNames.timestreamTable),
  ...trendStoreConfigShape,
  [EnvNames.ALERT_BUS]: resourceNameVar(ResourceNames.alertBus),
  [EnvNames.RAW_DELIVERY_STREAM]: resourceNameVar(ResourceNames.rawDeliveryStream),
  [EnvNames.DEAD_LETTER_DELIVERY_STREAM]: resourceNameVar(ResourceNames.deadLetterDeliveryStream),
  // Events outside [ingest − max age, ingest + tolerance] are dead-lettered (stage `event-time`).
  // Tolerance: at most 1 h (Timestream itself refuses more than 15 min ahead); age: 1 min to 400 days.
  [EnvNames.EVENT_TIME_FUTURE_TOLERANCE_MS]: intVar(DEFAULT_EVENT_TIME_BOUNDS.futureToleranceMs, 0, 60 * 60_000),
  [EnvNames.EVENT_TIME_MAX_AGE_MS]: intVar(DEFAULT_EVENT_TIME_BOUNDS.maxAgeMs, 60_000, 400 * 24 * 60 * 60_000),
};

export interface RoutingConfig extends TrendStoreConfig {
  AWS_REGION: string;
  AWS_ENDPOINT_URL?: string;
  KPI_TABLE: string;
  CHANGE_FEED_STREAM: string;
  TIMESTREAM_DATABASE: string;
  TIMESTREAM_TABLE: string;
  ALERT_BUS: string;
  RAW_DELIVERY_STREAM: string;
  DEAD_LETTER_DELIVERY_STREAM: string;
  EVENT_TIME_FUTURE_TOLERANCE_MS: number;
  EVENT_TIME_MAX_AGE_MS: number;
}

export function eventTimeBoundsOf(config: RoutingConfig): EventTimeBounds {
  return { futureToleranceMs: config.EVENT_TIME_FUTURE_TOLERANCE_MS, maxAgeMs: config.EVENT_TIME_MAX_AGE_MS };
}
