import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, portVar, urlVar } from '@plant/config';

const local = (port: number) => `http://127.0.0.1:${port}/graphql`;

export const GatewayConfigSchema = z.object({
  ...awsConfigShape,
  [EnvNames.PORT]: portVar(DefaultPorts.gateway),
  [EnvNames.KPI_SUBGRAPH_URL]: urlVar().default(local(DefaultPorts.kpiSubgraph)),
  [EnvNames.HISTORY_SUBGRAPH_URL]: urlVar().default(local(DefaultPorts.historySubgraph)),
  [EnvNames.ML_SUBGRAPH_URL]: urlVar().default(local(DefaultPorts.mlSubgraph)),
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
