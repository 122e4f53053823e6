import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@plant/config';
import { GatewayModule } from '../src/app.module';
import { GatewayConfigSchema } from '../src/config';
import { GatewayService } from '../src/gateway.service';

export interface RunningGateway {
  app: INestApplication;
  service: GatewayService;
  url: string;
  wsUrl: string;
  baseUrl: string;
  stop(): Promise<void>;
}

/** The real gateway app (Nest + Hive runtime) on a free port, serving the given supergraph. */
export async function startGateway(supergraphSdl: string, env: Record<string, string> = {}): Promise<RunningGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-test-'));
  const supergraphPath = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphPath, supergraphSdl);
  const config = loadConfig(GatewayConfigSchema, { LOG_LEVEL: 'error', SUPERGRAPH_PATH: supergraphPath, ...env });
  const app = await NestFactory.create(GatewayModule.forRoot(config), { logger: false });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    app,
    service: app.get(GatewayService),
    baseUrl: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    stop: () => app.close(),
  };
}

export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as any };
}
