import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../../apps/gateway/test/gateway-harness';
import { TEST_INTERNAL_AUTH_SECRET } from '../../test/support/auth-tokens';

/** The history subgraph as its own process (like `npm start` runs it), ready when /health/live answers. */
export async function spawnHistorySubgraph(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = fork(resolve(__dirname, '../../apps/history-subgraph/src/main.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('history subgraph did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      process.off('exit', killOnExit);
    },
  };
}
