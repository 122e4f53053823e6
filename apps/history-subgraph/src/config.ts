import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, portVar } from '@plant/config';

export const HistorySubgraphConfigSchema = z.object({
  ...awsConfigShape,
  [EnvNames.PORT]: portVar(DefaultPorts.historySubgraph),
});
export type HistorySubgraphConfig = z.infer<typeof HistorySubgraphConfigSchema>;
