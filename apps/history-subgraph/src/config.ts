import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, portVar, resourceNameVar, ResourceNames } from '@plant/config';
import { requestDeadlineShape } from '@plant/graphql';

export const HistorySubgraphConfigSchema = z.object({
  ...awsConfigShape,
  [EnvNames.PORT]: portVar(DefaultPorts.historySubgraph),
  [EnvNames.TIMESTREAM_DATABASE]: resourceNameVar(ResourceNames.timestreamDatabase),
  [EnvNames.TIMESTREAM_TABLE]: resourceNameVar(ResourceNames.timestreamTable),
  ...requestDeadlineShape,
});
export type HistorySubgraphConfig = z.infer<typeof HistorySubgraphConfigSchema>;
