import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ServiceSpec {
  name: string;
  /** TypeScript entry point, run with @swc-node/register like every app. */
  entry: string;
  args?: string[];
  env: Record<string, string>;
  /** URL that answers 200 once the service is ready; none for one-shot or headless processes. */
  readyUrl?: string;
}

export interface RunningService {
  spec: ServiceSpec;
  child: ChildProcess;
  logFile: string;
}

/** Starts a service as a child process, its output appended to `<logDir>/<name>.log`. */
export function startService(spec: ServiceSpec, logDir: string): RunningService {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${spec.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['-r', '@swc-node/register', spec.entry, ...(spec.args ?? [])], {
    // The SDK's Node 22 notice is known (the lockfile pins the SDK); it would open every log.
    env: { ...process.env, ...spec.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  // A failed spawn or kill is reported as an 'error' event; unhandled, it would crash the supervisor
  // and orphan every other process. The exit (if any) is handled by the caller.
  child.on('error', (err) => log.write(`${JSON.stringify({ level: 50, time: Date.now(), supervisor: 'npm start', msg: `process error: ${err.message}` })}\n`));
  return { spec, child, logFile };
}

/** Polls the URL until it answers 200 or the deadline passes. */
export async function waitUntilReady(url: string, deadline: number, isAlive: () => boolean): Promise<void> {
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('process exited before it became ready');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      lastError = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready at ${url}: ${lastError}`);
}

/** SIGTERM, then SIGKILL after the grace period: no process is left behind. */
export async function stopService(service: RunningService, graceMs = 10_000): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
