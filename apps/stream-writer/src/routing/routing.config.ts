import { EnvNames, resourceNameVar, ResourceNames, TrendStoreConfig, trendStoreConfigShape } from '@plant/config';

/** The router's part of the stream-writer's config schema (spread into StreamWriterConfigSchema). */
export const routingConfigShape = {
  [EnvNames.TIMESTREAM_DATABASE]: resourceNameVar(ResourceNames.timestreamDatabase),
  [EnvNames.TIMESTREAM_TABLE]: resourceNameVar(ResourceNames.timestreamTable),
  ...trendStoreConfigShape,
  [EnvNames.ALERT_BUS]: resourceNameVar(ResourceNames.alertBus),
  [EnvNames.RAW_DELIVERY_STREAM]: resourceNameVar(ResourceNames.rawDeliveryStream),
  [EnvNames.DEAD_LETTER_DELIVERY_STREAM]: resourceNameVar(ResourceNames.deadLetterDeliveryStream),
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
}
