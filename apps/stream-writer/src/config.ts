import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, portVar, resourceNameVar, ResourceNames } from '@plant/config';
import { consumerConfigShape } from '@plant/stream-consumer';
import { routingConfigShape } from './routing/routing.config';

export const StreamWriterConfigSchema = z.object({
  ...awsConfigShape,
  [EnvNames.PORT]: portVar(DefaultPorts.streamWriter),
  [EnvNames.PLANT_EVENTS_STREAM]: resourceNameVar(ResourceNames.plantEventsStream),
  [EnvNames.CHANGE_FEED_STREAM]: resourceNameVar(ResourceNames.changeFeedStream),
  [EnvNames.KPI_TABLE]: resourceNameVar(ResourceNames.kpiTable),
  [EnvNames.LEASE_TABLE]: resourceNameVar(ResourceNames.leaseTable),
  ...consumerConfigShape,
  ...routingConfigShape,
});
export type StreamWriterConfig = z.infer<typeof StreamWriterConfigSchema>;
