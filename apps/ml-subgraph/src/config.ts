import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, internalAuthShape, portVar } from '@plant/config';
import { requestDeadlineShape } from '@plant/graphql';

export const MlSubgraphConfigSchema = z.object({
  ...awsConfigShape,
  ...internalAuthShape,
  [EnvNames.PORT]: portVar(DefaultPorts.mlSubgraph),
  ...requestDeadlineShape,
});
export type MlSubgraphConfig = z.infer<typeof MlSubgraphConfigSchema>;
