import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { kpiTableStores } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { KpiSubgraphModule } from '../../src/app.module';
import { KpiSubgraphConfig, KpiSubgraphConfigSchema } from '../../src/config';
import { ALERT_STORE, ASSET_DIRECTORY, ASSET_STATE_STORE, KPI_WINDOW_STORE } from '../../src/kpi-subgraph.tokens';
import { internalIdentity, TEST_INTERNAL_AUTH_SECRET } from '../../../../test/support/auth-tokens';
import { NOW } from './kpi-fixtures';

/** Every call the app made to the KPI table's ports, by method name (unique across them), with its first argument. */
export type RepositoryCalls = Map<string, unknown[]>;

/** Wraps a REAL port adapter and records its calls into `calls` (to assert batching), changing nothing. */
export function recording<T extends object>(inner: T, calls: RepositoryCalls): T {
  return new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const method = String(name);
        calls.set(method, [...(calls.get(method) ?? []), args[0]]);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export interface RunningSubgraph {
  app: INestApplication;
  url: string;
  wsUrl: string;
  calls: RepositoryCalls;
  config: KpiSubgraphConfig;
  close(): Promise<void>;
}

export function configFor(endpoint: string): KpiSubgraphConfig {
  return KpiSubgraphConfigSchema.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AWS_ENDPOINT_URL: endpoint,
    PORT: '1',
    INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET,
  });
}

/**
 * The subgraph in-process on a free port against the given endpoint, with the real DynamoDB
 * adapters of the KPI table (clock fixed at the fixtures' NOW) behind a call recorder, and the real change-feed
 * reader.
 */
export async function startSubgraph(endpoint: string): Promise<RunningSubgraph> {
  const config = configFor(endpoint);
  const dynamodb = createClient(DynamoDBClient, { region: config.AWS_REGION, endpoint }, { requestTimeoutMs: 5_000 });
  const calls: RepositoryCalls = new Map();
  const stores = kpiTableStores(dynamodb, { tableName: config.KPI_TABLE, clock: () => NOW });
  const moduleRef = await Test.createTestingModule({ imports: [KpiSubgraphModule.forRoot(config)] })
    .overrideProvider(KPI_WINDOW_STORE)
    .useValue(recording(stores.kpiWindows, calls))
    .overrideProvider(ASSET_DIRECTORY)
    .useValue(recording(stores.assetDirectory, calls))
    .overrideProvider(ASSET_STATE_STORE)
    .useValue(recording(stores.assetStates, calls))
    .overrideProvider(ALERT_STORE)
    .useValue(recording(stores.alertStore, calls))
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    calls,
    config,
    async close() {
      await app.close();
      dynamodb.destroy();
    },
  };
}

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

/**
 * POSTs an operation as the gateway would: with a signed internal identity (an admin of every
 * plant unless `headers` bring their own, or `null` sends none).
 */
export async function gql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> | null = {},
): Promise<GraphQLResponse<T>> {
  const identity = headers === null ? {} : { ...(await internalIdentity()), ...headers };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...identity },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResponse<T>;
}
