import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { childProcesses, freePort } from './platform-harness';

interface FixturePlatform {
  supervisor: ChildProcess;
  ports: number[];
  output(): string;
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
}

/** Alive and not a zombie: a SIGKILLed child whose parent exited waits as one until init reaps it. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * The real supervisor (PlatformSupervisor, its signal handlers and restart policy) as its own process,
 * over three fixture services: what `npm start` does on a signal, without starting the whole platform.
 */
describe('PlatformSupervisor (a supervisor process over fixture services)', () => {
  let logDir: string;
  let platform: FixturePlatform | undefined;

  async function startFixturePlatform(env: Record<string, string>): Promise<FixturePlatform> {
    const ports = [await freePort(), await freePort(), await freePort()];
    const supervisor = spawn(process.execPath, ['-r', '@swc-node/register', 'tools/start/test/fixture-platform.ts'], {
      cwd: resolve(__dirname, '../..'),
      env: { ...process.env, LOG_DIR: logDir, STACK_PORT: String(ports[0]), APP_A_PORT: String(ports[1]), APP_B_PORT: String(ports[2]), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    supervisor.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    supervisor.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const waitFor = async (pattern: RegExp) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    platform = { supervisor, ports, output: () => output, waitFor };
    return platform;
  }

  beforeEach(() => {
    logDir = mkdtempSync(join(tmpdir(), 'supervisor-'));
  });

  afterEach(async () => {
    const s = platform?.supervisor;
    if (s && s.exitCode === null && s.signalCode === null) {
      for (const { pid } of childProcesses(s.pid!)) process.kill(pid, 'SIGKILL');
      s.kill('SIGKILL');
      await once(s, 'exit');
    }
    platform = undefined;
    rmSync(logDir, { recursive: true, force: true });
  });

  it('SIGTERM stops every service, including one waiting in backoff, which never comes back', async () => {
    const p = await startFixturePlatform({ RESTART_INITIAL_DELAY_MS: '60000', RESTART_MAX_DELAY_MS: '60000' });
    await p.waitFor(/fixture platform is up/);
    const children = childProcesses(p.supervisor.pid!);
    const appA = children.find((c) => servesPort(c.pid, p.ports[1]))!;
    process.kill(appA.pid, 'SIGKILL');
    await p.waitFor(new RegExp(`↻ app-a \\(pid ${appA.pid}\\) exited with signal SIGKILL after [\\d.]+ m?s; restarting it in 60\\.0 s`));
    const exited = once(p.supervisor, 'exit');
    p.supervisor.kill('SIGTERM');
    const [code] = (await exited) as [number | null];

    expect(code).toBe(0);
    expect(p.output()).toContain('Stopped.');
    expect(children.map((c) => c.pid).filter(isRunning)).toEqual([]);
    expect(await Promise.all(p.ports.map(answers))).toEqual([false, false, false]);
  }, 60_000);

  it('a second Ctrl-C while stopping SIGKILLs a service stuck in its shutdown at once', async () => {
    const p = await startFixturePlatform({ FIXTURE_IGNORE_SIGTERM: 'true' });
    await p.waitFor(/fixture platform is up/);
    const pids = childProcesses(p.supervisor.pid!).map((c) => c.pid);
    const exited = once(p.supervisor, 'exit');
    p.supervisor.kill('SIGINT');
    await p.waitFor(/Stopping…/);
    p.supervisor.kill('SIGINT');
    const [code] = (await exited) as [number | null];

    expect(code).toBe(130);
    expect(p.output()).toContain('Killed.');
    expect(pids).toHaveLength(3);
    // SIGKILL was sent before the supervisor exited; the kernel needs a moment to end the processes
    await waitUntil(() => pids.filter(isRunning).length === 0);
    expect(pids.filter(isRunning)).toEqual([]);
  }, 60_000);

  it('a death during start-up fails the start (exit 1, the log named) and stops what was started', async () => {
    const p = await startFixturePlatform({ FIXTURE_CRASH_AT_START: 'app-b' });
    const [code] = (await once(p.supervisor, 'exit')) as [number | null];

    expect(code).toBe(1);
    expect(p.output()).toMatch(/✗ app-b exited during start-up \(code 1\); its log: .*app-b\.log/);
    expect(p.output()).not.toContain('restarting');
    expect(await Promise.all(p.ports.map(answers))).toEqual([false, false, false]);
  }, 60_000);
});

/** Whether `pid` is the fixture given `port`: their command lines are identical, their environments not. */
function servesPort(pid: number, port: number): boolean {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`PORT=${port}`);
}

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
