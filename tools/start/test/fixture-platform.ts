import { PlatformSupervisor } from '../platform-supervisor';
import { ServiceSpec } from '../processes';
import { restartPolicyFromEnv } from '../start-config';

/**
 * `npm start` in miniature for platform-supervisor.int-spec.ts: the real PlatformSupervisor, signal
 * handling and restart policy (from the same env variables), with three fixture services in two
 * groups (`stack`, then `app-a` and `app-b`), each serving /health on the port given in the env.
 * FIXTURE_CRASH_AT_START names a service that exits with code 1 at once.
 */
const env = process.env;
const service = (name: string, port: string): ServiceSpec => ({
  name,
  entry: 'tools/start/test/fixture-service.ts',
  env: { PORT: port, ...(env.FIXTURE_CRASH_AT_START === name ? { FIXTURE_EXIT_CODE: '1' } : {}) },
  readyUrl: `http://127.0.0.1:${port}/health`,
});

async function main(): Promise<void> {
  const platform = new PlatformSupervisor({ policy: restartPolicyFromEnv(), logDir: env.LOG_DIR!, readyTimeoutMs: 30_000 });
  platform.handleSignals();
  const deadline = Date.now() + 30_000;
  try {
    await platform.startAndWait([service('stack', env.STACK_PORT!)], deadline);
    await platform.startAndWait([service('app-a', env.APP_A_PORT!), service('app-b', env.APP_B_PORT!)], deadline);
  } catch (err) {
    console.error(`✗ start-up failed: ${(err as Error).message}`);
    return platform.shutdown(1);
  }
  platform.superviseRestarts();
  console.log('fixture platform is up');
}

void main();
