import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** The ports `npm start` takes from the environment, each overridable. */
export const PLATFORM_PORT_VARS = ['LOCAL_AWS_PORT', 'GATEWAY_PORT', 'KPI_SUBGRAPH_PORT', 'HISTORY_SUBGRAPH_PORT', 'ML_SUBGRAPH_PORT', 'STREAM_WRITER_PORT'] as const;
export type PlatformPorts = Record<(typeof PLATFORM_PORT_VARS)[number], number>;

export interface RunningPlatform {
  supervisor: ChildProcess;
  ports: PlatformPorts;
  /** Everything the supervisor printed so far. */
  output(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/**
 * Runs `npm start`'s supervisor as a child process on free ports with its data in `dataDir`, and
 * resolves once it printed that the platform is up (rejects with its output when it failed).
 * Used by the end-to-end tests and the pipeline benchmark, so both run the platform as a person does.
 */
export async function startPlatform(dataDir: string, env: Record<string, string> = {}): Promise<RunningPlatform> {
  const ports = {} as PlatformPorts;
  for (const name of PLATFORM_PORT_VARS) ports[name] = await freePort();
  const supervisor = spawn(process.execPath, ['-r', '@swc-node/register', 'tools/start/main.ts'], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  supervisor.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  supervisor.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((res, rej) => {
    const timer = setInterval(() => {
      if (output.includes('Plant data platform is up')) {
        clearInterval(timer);
        res();
      } else if (supervisor.exitCode !== null || output.includes('✗')) {
        clearInterval(timer);
        // Let the supervisor finish stopping what it started before reporting the failure.
        void stopPlatform(supervisor).then(() => rej(new Error(`npm start failed:\n${output}`)));
      }
    }, 200);
  });
  return { supervisor, ports, output: () => output };
}

/**
 * Ctrl-C, as a person stops it: the supervisor stops its children first. SIGKILL only after the
 * grace period — killing the supervisor outright would orphan the processes it started.
 */
export async function stopPlatform(supervisor: ChildProcess, graceMs = 30_000): Promise<number | null> {
  if (supervisor.exitCode !== null || supervisor.signalCode !== null) return supervisor.exitCode;
  const exited = new Promise<number | null>((res) => supervisor.once('exit', (code) => res(code)));
  supervisor.kill('SIGINT');
  const timer = setTimeout(() => supervisor.kill('SIGKILL'), graceMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** The processes the supervisor started, from the process table (not from its own word): pid and command line. */
export function childProcesses(supervisorPid: number): { pid: number; args: string }[] {
  let out: string;
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(supervisorPid)]).toString();
  } catch {
    return []; // ps exits 1 when there is none
  }
  return out
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), args: m[2] }));
}

/** Resolves with the first match of `pattern` in the supervisor's output, polling until the deadline. */
export async function waitForOutput(platform: RunningPlatform, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(platform.output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the supervisor's output:\n${platform.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
