import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { KinesisChangeFeedPublisher, TimestreamTrendStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import type { Alert, ChangeFeedMessage, KpiSnapshot } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { freePort, RunningGateway, startGateway } from '../../apps/gateway/test/gateway-harness';
import { hierarchies, writeFixtures } from '../../apps/kpi-subgraph/test/support/kpi-fixtures';
import { RunningSubgraph, startSubgraph } from '../../apps/kpi-subgraph/test/support/kpi-subgraph.harness';
import { TEST_INTERNAL_AUTH_SECRET } from '../support/auth-tokens';

/**
 * The real gateway process over the real kpi and history subgraphs (in-process Nest apps) and the
 * local AWS stack, with the committed supergraph: what a caller reaches, minus the stream-writer
 * (tests publish change-feed messages and trend points themselves).
 */
export interface SecuredPlatform {
  gateway: RunningGateway;
  kpi: RunningSubgraph;
  /** The local S3 folder of the lake bucket (tests write refined/curated fixtures into it). */
  lakeDir: string;
  publish(messages: ChangeFeedMessage[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startSecuredPlatform(env: Record<string, string> = {}): Promise<SecuredPlatform> {
  const stack: LocalAwsStack = await startLocalAws({ port: 0 });
  const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
  await writeFixtures(connection, ResourceNames.kpiTable);
  const trendStore = new TimestreamTrendStore(createClient(TimestreamWriteClient, connection), {
    databaseName: ResourceNames.timestreamDatabase,
    tableName: ResourceNames.timestreamTable,
  });
  const now = Date.now();
  await trendStore.write(
    hierarchies.map((h, i) => ({
      timeMs: now - 60_000,
      dimensions: { enterprise: h.enterpriseId, plant: h.plantId, line: h.lineId, asset: h.assetId, source: 'das' },
      measureName: 'temperature',
      values: [
        { name: 'value', type: 'DOUBLE' as const, value: 60 + i },
        { name: 'unit', type: 'VARCHAR' as const, value: 'degC' },
      ],
      version: 1,
      eventId: `trend-${h.assetId}`,
    })),
  );
  const kpi = await startSubgraph(stack.endpoint);
  const history = await startHistoryProcess(stack.endpoint);
  const gateway = await startGateway(readFileSync(resolve(__dirname, '../../apps/gateway/supergraph.graphql'), 'utf8'), {
    KPI_SUBGRAPH_URL: kpi.url,
    HISTORY_SUBGRAPH_URL: history.url,
    // Every answer must come from the subgraphs under the caller's own scope, not from an earlier caller.
    GATEWAY_RESPONSE_CACHE_TTL_MS: '1000',
    ...env,
  });
  const kinesis = createClient(KinesisClient, connection);
  const publisher = new KinesisChangeFeedPublisher(kinesis, { streamName: kpi.config.CHANGE_FEED_STREAM });
  return {
    gateway,
    kpi,
    lakeDir: stack.lakeDir,
    publish: (messages) => publisher.publish(messages),
    async stop() {
      await gateway.stop();
      await history.stop();
      await kpi.close();
      kinesis.destroy();
      await stack.stop();
    },
  };
}

/**
 * The history subgraph as its own process: two code-first NestJS schemas in one process share
 * NestJS's type metadata (both declare `Asset`), so it cannot sit beside the kpi subgraph in jest.
 */
async function startHistoryProcess(endpoint: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = fork(resolve(__dirname, '../../apps/history-subgraph/src/main.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, AWS_ENDPOINT_URL: endpoint, NODE_ENV: 'test', LOG_LEVEL: 'error', PORT: String(port), INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('history subgraph did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      process.off('exit', killOnExit);
    },
  };
}

export function kpiUpdated(assetId: string): ChangeFeedMessage {
  const hierarchy = hierarchies.find((h) => h.assetId === assetId)!;
  const kpi: KpiSnapshot = {
    scope: 'asset',
    scopeId: assetId,
    hierarchy,
    window: '1m',
    windowStart: new Date().toISOString(),
    windowEnd: new Date().toISOString(),
    figures: {
      availability: 0.9, performance: 0.8, quality: 0.95, oee: 0.684, goodCount: 1, scrapCount: 0,
      throughputPerHour: 120, runSeconds: 50, downtimeSeconds: 0, downtimeByReason: [],
    },
    lastEventTime: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  return { version: 1, type: 'kpi-updated', kpi };
}

export const alertChanged = (alert: Alert): ChangeFeedMessage => ({ version: 1, type: 'alert-changed', alert });
