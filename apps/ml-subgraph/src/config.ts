import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, internalAuthShape, portVar } from '@plant/config';
import { requestDeadlineShape } from '@plant/graphql';

export const MlSubgraphConfigSchema = z.object({
  ...awsConfigShape,
  ...internalAuthShape,
  [EnvNames.PORT]: portVar(DefaultPorts.mlSubgraph),
  ...requestDeadlineShape,
  // The local stack's lake folder (offline feature store, training set exports); `npm start` sets it.
  [EnvNames.LAKE_DIR]: z.string().min(1, 'must not be empty').default('.data/local-aws/lake'),
});
export type MlSubgraphConfig = z.infer<typeof MlSubgraphConfigSchema>;
