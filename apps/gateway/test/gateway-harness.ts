import { ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bearer, TEST_AUTH_ENV } from '../../../test/support/auth-tokens';

export interface RunningGateway {
  process: ChildProcess;
  url: string;
  wsUrl: string;
  baseUrl: string;
  stop(): Promise<void>;
}

/** A free TCP port from the OS (the gateway's config, like production, takes a fixed port). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The real gateway app (apps/gateway/src/main.ts: Nest + Hive runtime) as its own process serving
 * the given supergraph. A process, not an in-jest app, because the Rust planner is loaded with a
 * dynamic import() that jest's module VM refuses; it is also how the gateway runs for real.
 */
export async function startGateway(
  supergraphSdl: string,
  env: Record<string, string> = {},
  entry = resolve(__dirname, '../src/main.ts'),
): Promise<RunningGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-test-'));
  const supergraphPath = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphPath, supergraphSdl);
  const port = await freePort();
  const child = fork(entry, [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, LOG_LEVEL: 'error', ...TEST_AUTH_ENV, ...env, PORT: String(port), SUPERGRAPH_PATH: supergraphPath },
    // GW_STDERR=1 shows the gateway's own log while debugging a test.
    stdio: ['ignore', 'ignore', process.env.GW_STDERR ? 'inherit' : 'pipe', 'ipc'],
  });
  // Keep the last of stderr for the failure message; Hive logs subgraph errors there on purpose.
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode} during start:\n${stderr}`);
    const live = await fetch(`${baseUrl}/health/live`).then((r) => r.ok, () => false);
    if (live) break;
    if (Date.now() > deadline) throw new Error(`gateway did not start within 30 s:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    process: child,
    baseUrl,
    url: `${baseUrl}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      process.off('exit', killOnExit);
    },
  };
}

/**
 * The headers of every request a gateway test sends (HTTP, SSE, the graphql-ws upgrade).
 */
export function clientHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...extra };
}

/**
 * POSTs an operation as a client: with an admin's bearer token unless `headers` carry their own
 * Authorization, or `null` (no credentials at all).
 */
export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> | null = {},
): Promise<{ status: number; body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const credentials = headers === null ? {} : { ...(await bearer('admin')), ...headers };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...credentials },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** One metric's value from a Prometheus text page, or undefined. */
export async function metricValue(baseUrl: string, line: RegExp): Promise<number | undefined> {
  const text = await fetch(`${baseUrl}/metrics`).then((r) => r.text());
  const found = text.split('\n').find((l) => line.test(l));
  return found ? Number(found.split(' ').at(-1)) : undefined;
}
