import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, internalAuthShape, portVar, resourceNameVar, ResourceNames } from '@plant/config';
import { requestDeadlineShape } from '@plant/graphql';

export const KpiSubgraphConfigSchema = z.object({
  ...awsConfigShape,
  ...internalAuthShape,
  [EnvNames.PORT]: portVar(DefaultPorts.kpiSubgraph),
  [EnvNames.KPI_TABLE]: resourceNameVar(ResourceNames.kpiTable),
  [EnvNames.CHANGE_FEED_STREAM]: resourceNameVar(ResourceNames.changeFeedStream),
  ...requestDeadlineShape,
});
export type KpiSubgraphConfig = z.infer<typeof KpiSubgraphConfigSchema>;
