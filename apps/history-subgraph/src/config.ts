import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, intVar, internalAuthShape, LakeQueryDefaults, portVar, resourceNameVar, ResourceNames, trendStoreConfigShape } from '@plant/config';
import { requestDeadlineShape } from '@plant/graphql';
import { plantZonesVar } from './plant-zones.config';

export const HistorySubgraphConfigSchema = z.object({
  ...awsConfigShape,
  ...internalAuthShape,
  [EnvNames.PORT]: portVar(DefaultPorts.historySubgraph),
  [EnvNames.TIMESTREAM_DATABASE]: resourceNameVar(ResourceNames.timestreamDatabase),
  [EnvNames.TIMESTREAM_TABLE]: resourceNameVar(ResourceNames.timestreamTable),
  ...trendStoreConfigShape,
  [EnvNames.ATHENA_WORKGROUP]: resourceNameVar(ResourceNames.athenaWorkgroup),
  [EnvNames.GLUE_DATABASE]: resourceNameVar(ResourceNames.glueDatabase),
  [EnvNames.LAKE_QUERY_TIMEOUT_MS]: intVar(LakeQueryDefaults.timeoutMs, 100, 600_000),
  [EnvNames.LAKE_WATERMARK_SETTLE_MS]: intVar(LakeQueryDefaults.watermarkSettleMs, 0, 7 * 86_400_000),
  ...requestDeadlineShape,
  [EnvNames.PLANT_UTC_OFFSETS]: plantZonesVar(),
});
export type HistorySubgraphConfig = z.infer<typeof HistorySubgraphConfigSchema>;
