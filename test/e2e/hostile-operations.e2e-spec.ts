import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientHeaders } from '../../apps/gateway/test/gateway-harness';
import { PlatformPorts, startPlatform, stopPlatform } from '../../tools/start/platform-harness';
import { SignJWT, UnsecuredJWT } from 'jose';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_HS256_SECRET, LOCAL_JWT_ISSUER } from '@plant/config';
import { accessToken } from '../support/auth-tokens';
import { BadTokens, HostileRequest, hostileRequests } from './support/hostile-operations';

/** 15 kinds × 80, 80 garbage tokens + 4 × 20 missing/expired/forged/alg-none tokens, the issue’s two killer queries: 1,362 requests. */
const PER_KIND = 80;
const CONCURRENCY = 8;
/**
 * A normal KPI query must keep answering within this while the flood runs (a behaviour bound).
 * Measured: max 845–954 ms at load average 6–9 on 2 cores; the same query without any flood takes
 * over 1 s at load 16 (other jobs), so a failure there says the machine, not the API, is saturated.
 */
const PROBE_BOUND_MS = 1_000;
/** Resident memory bound of every app process during and after the flood (the kpi subgraph grew past 4 GB). */
const RSS_BOUND_MB = 600;
const APPS = {
  gateway: 'apps/gateway/src/main.ts',
  'kpi-subgraph': 'apps/kpi-subgraph/src/main.ts',
  'history-subgraph': 'apps/history-subgraph/src/main.ts',
  'ml-subgraph': 'apps/ml-subgraph/src/main.ts',
  'stream-writer': 'apps/stream-writer/src/main.ts',
} as const;
const LINES = ['plt1-l1', 'plt1-l2', 'plt1-l3', 'plt2-l1', 'plt2-l2', 'plt2-l3'];
const WINDOWS = ['ONE_MINUTE', 'FIFTEEN_MINUTES', 'SHIFT', 'DAY'];

/** Valid tokens of the normal probe and of the flood (set before the platform starts). */
let probeAuthorization = '';
let floodAuthorization = '';

interface Answer {
  status: number;
  codes: unknown[];
}

/**
 * Issue 8: no request can take the platform down. The real platform (`npm start`'s supervisor, every
 * app, the local AWS stack, the simulator) gets 1,122 generated hostile requests; each must be
 * refused with its own code while a normal KPI query keeps answering within 1 s, no app's memory
 * passes the bound, and every /health is 200 afterwards.
 */
describe('hostile operations against the running platform', () => {
  let supervisor: ChildProcess;
  let ports: PlatformPorts;
  let dataDir: string;
  let gatewayUrl: string;
  let badTokens: BadTokens;

  beforeAll(async () => {
    probeAuthorization = `Bearer ${await accessToken('analyst', undefined, { subject: 'hostile-test-probe' })}`;
    floodAuthorization = `Bearer ${await accessToken('analyst', undefined, { subject: 'hostile-test-flood' })}`;
    const claims = { role: 'admin', plants: ['*'] };
    const secret = (s: string) => new TextEncoder().encode(s);
    badTokens = {
      expired: await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('expired').setIssuer(LOCAL_JWT_ISSUER).setAudience(LOCAL_JWT_AUDIENCE)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7_200).setExpirationTime(Math.floor(Date.now() / 1000) - 3_600).sign(secret(LOCAL_JWT_HS256_SECRET)),
      forged: await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('forged').setIssuer(LOCAL_JWT_ISSUER).setAudience(LOCAL_JWT_AUDIENCE)
        .setIssuedAt().setExpirationTime('1h').sign(secret('not-the-gateway-secret-0123456789-abcdef')),
      algNone: new UnsecuredJWT(claims).setSubject('alg-none').setIssuer(LOCAL_JWT_ISSUER).setAudience(LOCAL_JWT_AUDIENCE).setIssuedAt().setExpirationTime('1h').encode(),
    };
    dataDir = mkdtempSync(join(tmpdir(), 'hostile-'));
    // The flood measures the operation limits; the per-token and per-IP rate limits have their own tests
    // (apps/gateway/test/gateway-limits.int-spec.ts) and would answer most of the flood with 429.
    const platform = await startPlatform(dataDir, { GATEWAY_RATE_LIMIT_PER_TOKEN: '1000000', GATEWAY_RATE_LIMIT_PER_IP: '1000000', SIMULATOR_RATE: '20' });
    supervisor = platform.supervisor;
    ports = platform.ports;
    gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`;
    // The simulator writes the plant directory within seconds; the bad-`first` cases need the line.
    await waitFor(async () => (await probe(gatewayUrl, 0)).ok, 30_000, 'the simulator’s plant directory');
  }, 120_000);

  afterAll(async () => {
    if (supervisor) await stopPlatform(supervisor);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('refuses every hostile request with its code, keeps serving KPIs within 1 s and memory bounded', async () => {
    const requests = hostileRequests(PER_KIND, badTokens);
    expect(requests.length).toBeGreaterThanOrEqual(1_000);
    const pids = appPids(supervisor.pid!);
    const peakRssMb: Record<string, number> = {};
    const sampleRss = () => {
      for (const [app, pid] of Object.entries(pids)) peakRssMb[app] = Math.max(peakRssMb[app] ?? 0, rssMb(pid));
    };

    let flooding = true;
    const probeLatencies: number[] = [];
    const probeFailures: string[] = [];
    const prober = (async () => {
      for (let i = 0; flooding; i++) {
        const started = performance.now();
        const result = await probe(gatewayUrl, i);
        probeLatencies.push(performance.now() - started);
        if (!result.ok) probeFailures.push(result.detail);
        if (i % 5 === 0) sampleRss();
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const answers = new Array<Answer>(requests.length);
    let next = 0;
    const floodStarted = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < requests.length; i = next++) answers[i] = await send(gatewayUrl, requests[i]);
      }),
    );
    const floodMs = Date.now() - floodStarted;
    flooding = false;
    await prober;
    sampleRss();

    const sorted = [...probeLatencies].sort((a, b) => a - b);
    // The figures docs/api-limits.md quotes (and what a failure was measured against).
    console.info(
      JSON.stringify({
        loadAverage: loadavg()[0].toFixed(1),
        hostileRequests: requests.length,
        floodMs,
        probes: sorted.length,
        probeP50Ms: Math.round(sorted[Math.floor(sorted.length / 2)]),
        probeMaxMs: Math.round(sorted.at(-1)!),
        peakRssMb,
      }),
    );
    const wrong = requests
      .map((r, i) => ({ kind: r.kind, expected: `${r.status} ${r.code}`, got: `${answers[i].status} ${answers[i].codes.join(',')}`, ok: answers[i].status === r.status && answers[i].codes.includes(r.code) }))
      .filter((x) => !x.ok);
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(probeFailures).toEqual([]);
    for (const [app, mb] of Object.entries(peakRssMb)) expect({ app, withinBound: mb < RSS_BOUND_MB, mb }).toEqual({ app, withinBound: true, mb });
    for (const name of ['GATEWAY_PORT', 'KPI_SUBGRAPH_PORT', 'HISTORY_SUBGRAPH_PORT', 'ML_SUBGRAPH_PORT', 'STREAM_WRITER_PORT'] as const) {
      const res = await fetch(`http://127.0.0.1:${ports[name]}/health`);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
    }
    expect(probeLatencies.length).toBeGreaterThan(5);
    expect(Math.max(...probeLatencies)).toBeLessThan(PROBE_BOUND_MS);
  }, 90_000);
});

/** A normal dashboard-like KPI query, rotating over lines and windows so the response cache rarely answers it. */
async function probe(url: string, i: number): Promise<{ ok: boolean; detail: string }> {
  const line = LINES[i % LINES.length];
  const window = WINDOWS[Math.floor(i / LINES.length) % WINDOWS.length];
  const query = `{ line(id: "${line}") { id kpi(window: ${window}) { oee } assets(first: 6) { edges { node { id state { state } kpi(window: ${window}) { oee goodCount } } } } } }`;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: clientHeaders({ authorization: probeAuthorization }),
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await res.json()) as { data?: { line?: { id: string } }; errors?: unknown[] };
    const ok = res.status === 200 && !body.errors && body.data?.line?.id === line;
    return { ok, detail: `${res.status} ${JSON.stringify(body).slice(0, 300)}` };
  } catch (err) {
    return { ok: false, detail: String(err) };
  }
}

async function send(url: string, request: HostileRequest): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: clientHeaders(request.authorization === null ? {} : { authorization: request.authorization ?? floodAuthorization }),
    body: request.body,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] };
    return { status: res.status, codes: (body.errors ?? []).map((e) => e.extensions?.code) };
  } catch {
    return { status: res.status, codes: [`not JSON: ${text.slice(0, 80)}`] };
  }
}

/** The app processes `npm start` runs, by the entry each was started with. */
function appPids(supervisorPid: number): Record<string, number> {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(supervisorPid)]).toString().split('\n');
  const pids: Record<string, number> = {};
  for (const [app, entry] of Object.entries(APPS)) {
    const line = lines.find((l) => l.includes(entry));
    if (!line) throw new Error(`no ${app} process under the supervisor`);
    pids[app] = Number(line.trim().split(/\s+/)[0]);
  }
  return pids;
}

function rssMb(pid: number): number {
  return Math.round(Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
