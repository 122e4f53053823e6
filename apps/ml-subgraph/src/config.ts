import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, portVar } from '@plant/config';

export const MlSubgraphConfigSchema = z.object({
  ...awsConfigShape,
  [EnvNames.PORT]: portVar(DefaultPorts.mlSubgraph),
});
export type MlSubgraphConfig = z.infer<typeof MlSubgraphConfigSchema>;
