import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { SageMakerFeatureStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import type { FeatureStore } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { freePort, RunningGateway, startGateway } from '../../apps/gateway/test/gateway-harness';
import { writeFixtures } from '../../apps/kpi-subgraph/test/support/kpi-fixtures';
import { RunningSubgraph, startSubgraph } from '../../apps/kpi-subgraph/test/support/kpi-subgraph.harness';
import { TEST_INTERNAL_AUTH_SECRET } from '../support/auth-tokens';

/**
 * The real gateway process over the kpi subgraph (in-process), the ml subgraph (its own process:
 * two code-first schemas declaring Asset cannot share one process's NestJS metadata) and the local
 * AWS stack, with the committed supergraph: the path a data scientist's feature query takes.
 */
export interface MlPlatform {
  stack: LocalAwsStack;
  gateway: RunningGateway;
  kpi: RunningSubgraph;
  ml: { url: string; baseUrl: string };
  features: FeatureStore;
  stop(): Promise<void>;
}

export async function startMlPlatform(gatewayEnv: Record<string, string> = {}, options: { kpiFixtures?: boolean } = {}): Promise<MlPlatform> {
  const stack = await startLocalAws({ port: 0 });
  const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
  if (options.kpiFixtures ?? true) await writeFixtures(connection, ResourceNames.kpiTable);
  const client = createClient(SageMakerFeatureStoreRuntimeClient, connection);
  const kpi = await startSubgraph(stack.endpoint);
  const ml = await startMlProcess(stack.endpoint);
  const gateway = await startGateway(readFileSync(resolve(__dirname, '../../apps/gateway/supergraph.graphql'), 'utf8'), {
    KPI_SUBGRAPH_URL: kpi.url,
    ML_SUBGRAPH_URL: ml.url,
    HISTORY_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
    ...gatewayEnv,
  });
  return {
    stack,
    gateway,
    kpi,
    ml,
    features: new SageMakerFeatureStore(client),
    async stop() {
      await gateway.stop();
      await ml.stop();
      await kpi.close();
      client.destroy();
      await stack.stop();
    },
  };
}

async function startMlProcess(endpoint: string): Promise<{ url: string; baseUrl: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = fork(resolve(__dirname, '../../apps/ml-subgraph/src/main.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, AWS_ENDPOINT_URL: endpoint, NODE_ENV: 'test', LOG_LEVEL: 'error', PORT: String(port), INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`${baseUrl}/health/live`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('ml subgraph did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `${baseUrl}/graphql`,
    baseUrl,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      process.off('exit', killOnExit);
    },
  };
}
