import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { chromium } from 'playwright-core';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { childProcesses, PlatformPorts, RunningPlatform, startPlatform, stopPlatform, waitForOutput } from '../../tools/start/platform-harness';
import { bearer } from '../support/auth-tokens';

/** Debian's Chromium (`.ci/run` installs it); playwright-core downloads no browser of its own. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` as a person runs it: the real supervisor, every real process, on free ports. */
describe('npm start', () => {
  let platform: RunningPlatform;
  let supervisor: ChildProcess;
  let output = '';
  let dataDir: string;
  let ports: PlatformPorts;

  const gatewayQuery = async (query: string): Promise<unknown> => {
    const res = await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearer('operator', undefined, { subject: 'e2e' })) },
      body: JSON.stringify({ query }),
    });
    return res.json();
  };
  /** The dashboard URL npm start printed (an operator token in its fragment). */
  const dashboardUrl = () => output.match(/http:\/\/\S+\/dashboard#token=\S+/)?.[0];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'platform-'));
    // The gateway fails a subscription at once when its subgraph's socket drops (no re-connect attempts
    // of its own): the worst case, so that the dashboard test below shows the page recovering by itself.
    platform = await startPlatform(dataDir, { GATEWAY_UPSTREAM_WS_RETRIES: '0' });
    supervisor = platform.supervisor;
    ports = platform.ports;
    output = platform.output();
  }, 120_000);

  afterAll(async () => {
    if (supervisor) await stopPlatform(supervisor);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('prints the gateway GraphQL URL first among the URLs', () => {
    const urls = output.match(/https?:\/\/\S+/g) ?? [];
    expect(urls[0]).toBe(`http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`);
  });

  it('serves a healthy /health on every app', async () => {
    for (const name of ['GATEWAY_PORT', 'KPI_SUBGRAPH_PORT', 'HISTORY_SUBGRAPH_PORT', 'ML_SUBGRAPH_PORT', 'STREAM_WRITER_PORT'] as const) {
      const res = await fetch(`http://127.0.0.1:${ports[name]}/health`);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
    }
  });

  it('refuses the API without a token, and a direct subgraph call without the gateway’s identity', async () => {
    const body = JSON.stringify({ query: '{ plants { id } }' });
    const headers = { 'content-type': 'application/json' };
    for (const port of [ports.GATEWAY_PORT, ports.KPI_SUBGRAPH_PORT, ports.HISTORY_SUBGRAPH_PORT]) {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers, body });
      const code = ((await res.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
      expect({ port, status: res.status, code }).toEqual({ port, status: 401, code: 'UNAUTHENTICATED' });
    }
  });

  it('lets a Kinesis reader see simulator records of all four sources', async () => {
    const kinesis = createClient(KinesisClient, { region: 'eu-central-1', endpoint: `http://127.0.0.1:${ports.LOCAL_AWS_PORT}` });
    const seen = new Set<string>();
    const deadline = Date.now() + 30_000;
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: ResourceNames.plantEventsStream }));
    while (seen.size < 4 && Date.now() < deadline) {
      for (const shard of Shards ?? []) {
        const { ShardIterator } = await kinesis.send(
          new GetShardIteratorCommand({ StreamName: ResourceNames.plantEventsStream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
        );
        const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
        for (const r of Records ?? []) {
          try {
            seen.add(JSON.parse(Buffer.from(r.Data!).toString()).source);
          } catch {
            // a malformed record injected on purpose; the stream-writer dead-letters it
          }
        }
      }
      if (seen.size < 4) await new Promise((r) => setTimeout(r, 500));
    }
    kinesis.destroy();
    expect([...seen].sort()).toEqual(['ampla-iqt', 'citect-scada', 'das', 'pi-historian']);
  });

  it('serves a dashboard whose tiles and trend chart change with live plant data (headless Chromium)', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      // The URL npm start printed carries an operator token in its fragment.
      const dashboardUrl = output.match(/http:\/\/\S+\/dashboard#token=\S+/)?.[0];
      expect(dashboardUrl).toBeDefined();
      await page.goto(dashboardUrl!);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      expect(await page.textContent('#connection')).toBe('live');
      const tiles = () => page.$$eval('.tile', (els) => els.map((e) => e.textContent ?? ''));
      const before = await tiles();
      expect(before.length).toBe(36); // the simulator's default 2 plants × 3 lines × 6 assets
      await page.waitForFunction(
        (initial) => [...document.querySelectorAll('.tile')].some((t, i) => t.textContent !== initial[i]),
        before,
        { timeout: 30_000 },
      );
      // the selected asset's sensor trend comes from the history subgraph through the gateway
      await page.waitForFunction(() => Number(document.querySelector('#trend-chart')?.getAttribute('data-points')) > 0, undefined, { timeout: 30_000 });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('restarts the kpi-subgraph after kill -9, says so, and never stops the other processes', async () => {
    const before = childProcesses(supervisor.pid!);
    const kpi = before.find((p) => p.args.includes('apps/kpi-subgraph/src/main.ts'))!;
    process.kill(kpi.pid, 'SIGKILL');
    const [, newPid] = await waitForOutput(platform, /✓ kpi-subgraph is back \(pid (\d+)\): \/health 200/, 60_000);

    expect(platform.output()).toMatch(new RegExp(`↻ kpi-subgraph \\(pid ${kpi.pid}\\) exited with signal SIGKILL after [\\d.]+ m?s; restarting it in 1\\.0 s`));
    expect((await fetch(`http://127.0.0.1:${ports.KPI_SUBGRAPH_PORT}/health`)).status).toBe(200);
    expect(await gatewayQuery('{ plants { id } }')).toEqual({ data: { plants: [{ id: 'plt1' }, { id: 'plt2' }] } });
    const after = childProcesses(supervisor.pid!);
    expect(after.find((p) => p.pid === Number(newPid))?.args).toContain('apps/kpi-subgraph/src/main.ts');
    expect(after.filter((p) => p.pid !== Number(newPid))).toEqual(before.filter((p) => p.pid !== kpi.pid));
  }, 90_000);

  it('keeps a dashboard opened before a kpi-subgraph crash updating after its restart (headless Chromium)', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      expect(dashboardUrl()).toBeDefined();
      await page.goto(dashboardUrl()!);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      const kpi = childProcesses(supervisor.pid!).find((p) => p.args.includes('apps/kpi-subgraph/src/main.ts'))!;
      process.kill(kpi.pid, 'SIGKILL');
      await waitForOutput(platform, new RegExp(`↻ kpi-subgraph \\(pid ${kpi.pid}\\)[^\\n]*\\n(.*\\n)*✓ kpi-subgraph is back`), 60_000);
      // the gateway ended the page's subscriptions when their subgraph died; the page subscribes again
      // (without that, no tile changes any more: checked with the page's keepSubscribed() taken out)
      const after = await page.$$eval('.tile', (els) => els.map((e) => e.textContent ?? ''));
      await page.waitForFunction(
        (initial) => [...document.querySelectorAll('.tile')].some((t, i) => t.textContent !== initial[i]),
        after,
        { timeout: 30_000 },
      );
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('restarts the local AWS stack after kill -9; the apps reconnect without a restart of their own', async () => {
    const before = childProcesses(supervisor.pid!);
    const stack = before.find((p) => p.args.includes('tools/local-aws/main.ts'))!;
    const consumed = () => metricSum(ports.STREAM_WRITER_PORT, 'stream_consumer_records_total');
    process.kill(stack.pid, 'SIGKILL');
    await waitForOutput(platform, /✓ local-aws is back \(pid \d+\)/, 60_000);
    const afterRestart = await consumed();

    for (const name of APP_PORTS) await expectHealthy(ports[name], 30_000);
    expect(await gatewayQuery('{ plants { id } }')).toEqual({ data: { plants: [{ id: 'plt1' }, { id: 'plt2' }] } });
    // the hot path goes on: the stream-writer reads the simulator's new records from the restarted stack
    await eventually(async () => expect(await consumed()).toBeGreaterThan(afterRestart), 30_000);
    const apps = (list: { pid: number; args: string }[]) => list.filter((p) => !p.args.includes('tools/local-aws/main.ts'));
    expect(apps(childProcesses(supervisor.pid!))).toEqual(apps(before));
  }, 120_000);

  it('stops every process it started on Ctrl-C (SIGINT), one waiting to be restarted included, leaving no orphan', async () => {
    const children = childProcesses(supervisor.pid!);
    const ml = children.find((p) => p.args.includes('apps/ml-subgraph/src/main.ts'))!;
    process.kill(ml.pid, 'SIGKILL');
    await waitForOutput(platform, new RegExp(`↻ ml-subgraph \\(pid ${ml.pid}\\) exited`), 30_000);
    const pids = children.map((p) => p.pid);
    expect(pids.length).toBeGreaterThanOrEqual(7);
    expect(await stopPlatform(supervisor)).toBe(0);
    expect(pids.filter(isRunning)).toEqual([]);
    // nothing serves the ml-subgraph's port: its pending restart was cancelled (or its new process stopped)
    await expect(fetch(`http://127.0.0.1:${ports.ML_SUBGRAPH_PORT}/health`)).rejects.toThrow();
  }, 60_000);
});

const APP_PORTS = ['GATEWAY_PORT', 'KPI_SUBGRAPH_PORT', 'HISTORY_SUBGRAPH_PORT', 'ML_SUBGRAPH_PORT', 'STREAM_WRITER_PORT'] as const;

async function eventually(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function expectHealthy(port: number, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect({ port, status: res.status }).toEqual({ port, status: 200 });
  }, timeoutMs);
}

/** Sum of a Prometheus counter over all its labels. */
async function metricSum(port: number, metric: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
