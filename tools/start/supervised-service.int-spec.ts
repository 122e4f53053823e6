import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './platform-harness';
import { RestartPolicy } from './restart-policy';
import { ServiceExit, SupervisedService } from './supervised-service';

const FIXTURE = 'tools/start/test/fixture-service.ts';
const policy: RestartPolicy = { initialDelayMs: 50, maxDelayMs: 200, factor: 2, stableAfterMs: 60_000, maxCrashesInARow: 5 };

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The supervisor's restart loop with real child processes (node + @swc-node/register, like the apps). */
describe('SupervisedService', () => {
  let logDir: string;
  let lines: string[];
  let service: SupervisedService | undefined;

  const supervise = (env: Record<string, string>, overrides: Partial<RestartPolicy> = {}, readyUrl?: string) => {
    service = new SupervisedService(
      { name: 'fixture', entry: FIXTURE, env, readyUrl },
      { policy: { ...policy, ...overrides }, logDir, readyTimeoutMs: 30_000, say: (line) => lines.push(line) },
    );
    return service;
  };

  beforeEach(() => {
    logDir = mkdtempSync(join(tmpdir(), 'supervisor-'));
    lines = [];
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    rmSync(logDir, { recursive: true, force: true });
  });

  it('restarts a process that exits at once with doubling, capped delays and then gives up on it', async () => {
    const s = supervise({ FIXTURE_EXIT_CODE: '3' });
    const exits: ServiceExit[] = [];
    const delays: number[] = [];
    s.on('exit', (e: ServiceExit) => exits.push(e));
    s.on('restart-scheduled', (ms: number) => delays.push(ms));
    s.armRestarts();
    const gaveUp = once(s, 'gave-up');
    s.start();
    await gaveUp;

    expect(delays).toEqual([50, 100, 200, 200]);
    expect(exits.map((e) => e.code)).toEqual([3, 3, 3, 3, 3]);
    expect(new Set(exits.map((e) => e.pid)).size).toBe(5);
    expect(s.runs).toBe(5);
    expect(s.state).toBe('given-up');
    expect(lines[0]).toMatch(new RegExp(`^↻ fixture \\(pid ${exits[0].pid}\\) exited with code 3 after [\\d.]+ m?s; restarting it in 50 ms \\(crash 1 in a row; log: .*fixture\\.log\\)$`));
    expect(lines.map((l) => l[0])).toEqual(['↻', '✓', '↻', '✓', '↻', '✓', '↻', '✓', '⚠']);
    expect(lines[1]).toBe(`✓ fixture restarted (pid ${exits[1].pid})`);
    expect(lines[8]).toMatch(/^⚠ fixture \(pid \d+\) exited with code 3 .*: 5 crashes in a row without 60\.0 s of healthy running, not restarting it again/);
  }, 60_000);

  it('appends every run and the supervisor notes to the one log file', async () => {
    const s = supervise({ FIXTURE_EXIT_CODE: '1' }, { maxCrashesInARow: 3 });
    s.armRestarts();
    const gaveUp = once(s, 'gave-up');
    s.start();
    await gaveUp;

    const log = readFileSync(join(logDir, 'fixture.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.map((l) => l.msg)).toEqual([
      'fixture started',
      'restarted by npm start after code 1 (crash 1 in a row)',
      'fixture started',
      'restarted by npm start after code 1 (crash 2 in a row)',
      'fixture started',
      'npm start gave up on fixture: 3 crashes in a row without 60.0 s of healthy running',
    ]);
  }, 60_000);

  it('only reports an exit before restarts are armed (a death during start-up fails the start)', async () => {
    const s = supervise({ FIXTURE_EXIT_CODE: '2' });
    const exited = once(s, 'exit');
    s.start();
    const [exit] = (await exited) as [ServiceExit];
    await new Promise((r) => setImmediate(r));

    expect(exit.code).toBe(2);
    expect(s.runs).toBe(1);
    expect(lines).toEqual([]);
  }, 30_000);

  it('restarts a healthy service killed with SIGKILL and says when it is back', async () => {
    const port = await freePort();
    const s = supervise({ PORT: String(port) }, {}, `http://127.0.0.1:${port}/health`);
    s.start();
    await s.waitUntilReady(Date.now() + 30_000);
    s.armRestarts();
    const firstPid = s.pid!;
    const back = once(s, 'ready');
    process.kill(firstPid, 'SIGKILL');
    const [pid] = (await back) as [number];
    await new Promise((r) => setImmediate(r));

    expect(pid).not.toBe(firstPid);
    expect(isRunning(firstPid)).toBe(false);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(lines[0]).toContain(`↻ fixture (pid ${firstPid}) exited with signal SIGKILL after`);
    expect(lines[1]).toMatch(new RegExp(`^✓ fixture is back \\(pid ${pid}\\): /health 200 after [\\d.]+ m?s$`));
  }, 60_000);

  it('stops a service waiting in backoff: the pending restart never runs', async () => {
    const s = supervise({ FIXTURE_EXIT_CODE: '1' }, { initialDelayMs: 300, maxDelayMs: 300 });
    s.armRestarts();
    const scheduled = once(s, 'restart-scheduled');
    s.start();
    await scheduled;
    await s.stop();
    // Well past the 300 ms backoff: a timer that survived stop() would have spawned by now.
    const spawned = await Promise.race([once(s, 'spawn').then(() => true), new Promise((r) => setTimeout(() => r(false), 1_500))]);

    expect(spawned).toBe(false);
    expect(s.state).toBe('stopped');
    expect(s.runs).toBe(1);
  }, 30_000);

  it('stops a running service and leaves no process behind', async () => {
    const port = await freePort();
    const s = supervise({ PORT: String(port) }, {}, `http://127.0.0.1:${port}/health`);
    s.start();
    await s.waitUntilReady(Date.now() + 30_000);
    s.armRestarts();
    const pid = s.pid!;
    await s.stop();

    expect(isRunning(pid)).toBe(false);
    expect(s.runs).toBe(1);
    expect(s.state).toBe('stopped');
  }, 30_000);
});
