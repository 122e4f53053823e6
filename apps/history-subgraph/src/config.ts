import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, internalAuthShape, portVar, resourceNameVar, ResourceNames, trendStoreConfigShape } from '@plant/config';
import { requestDeadlineShape } from '@plant/graphql';
import { plantZonesVar } from './plant-zones.config';

export const HistorySubgraphConfigSchema = z.object({
  ...awsConfigShape,
  ...internalAuthShape,
  [EnvNames.PORT]: portVar(DefaultPorts.historySubgraph),
  [EnvNames.TIMESTREAM_DATABASE]: resourceNameVar(ResourceNames.timestreamDatabase),
  [EnvNames.TIMESTREAM_TABLE]: resourceNameVar(ResourceNames.timestreamTable),
  ...trendStoreConfigShape,
  ...requestDeadlineShape,
  [EnvNames.PLANT_UTC_OFFSETS]: plantZonesVar(),
});
export type HistorySubgraphConfig = z.infer<typeof HistorySubgraphConfigSchema>;
