import { Inject, Module, OnModuleInit, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createClient, dynamoTableReady } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { HealthRegistry, ObservabilityModule } from '@plant/observability';

/** A minimal app wired like every platform app: observability + one readiness check on a real table. */
function appModule(endpoint: string) {
  @Module({ imports: [ObservabilityModule.forRoot({ app: 'probe-app', logLevel: 'silent' })] })
  class ProbeAppModule implements OnModuleInit {
    constructor(@Inject(HealthRegistry) private readonly health: HealthRegistry) {}
    onModuleInit(): void {
      const client = createClient(DynamoDBClient, { region: 'eu-central-1', endpoint }, { requestTimeoutMs: 1_000 });
      this.health.register(dynamoTableReady(client, ResourceNames.kpiTable));
    }
  }
  return ProbeAppModule;
}

async function listen(endpoint: string): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(appModule(endpoint), { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('health and metrics endpoints', () => {
  let stack: LocalAwsStack;
  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
  });
  afterAll(() => stack.stop());

  it('answers /health 200 when the table it depends on is ACTIVE', async () => {
    const { app, url } = await listen(stack.endpoint);
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', app: 'probe-app', checks: { 'dynamodb:plant-kpis': { status: 'ok' } } });
    await app.close();
  });

  it('answers /health 503 naming the backend that does not answer, while /health/live stays 200', async () => {
    const { app, url } = await listen('http://127.0.0.1:9'); // discard port: nothing listens
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.status).toBe('unavailable');
    expect(body.checks['dynamodb:plant-kpis'].status).toBe('failed');
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    await app.close();
  });

  it('serves Prometheus text with the app label', async () => {
    const { app, url } = await listen(stack.endpoint);
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toMatch(/process_cpu_user_seconds_total\{app="probe-app"\} \d/);
    await app.close();
  });
});
