import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { chromium } from 'playwright-core';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { PlatformPorts, startPlatform, stopPlatform } from '../../tools/start/platform-harness';

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
  let supervisor: ChildProcess;
  let output = '';
  let dataDir: string;
  let ports: PlatformPorts;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'platform-'));
    const platform = await startPlatform(dataDir);
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

  it('stops every process it started on Ctrl-C (SIGINT), leaving no orphan', async () => {
    const pids = await childPids(supervisor.pid!);
    expect(pids.length).toBeGreaterThanOrEqual(7);
    expect(await stopPlatform(supervisor)).toBe(0);
    expect(pids.filter(isRunning)).toEqual([]);
  }, 60_000);
});

async function childPids(parent: number): Promise<number[]> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(parent)]).toString();
  return out
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => n > 0);
}
