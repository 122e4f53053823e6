import { resolve } from 'node:path';
import { DefaultPorts } from '@plant/config';
import { startLocalAws } from '@plant/local-aws';

/** `npm run local-aws`: the local AWS stack on a fixed port, data kept under .data/local-aws. */
async function main(): Promise<void> {
  const port = Number(process.env.LOCAL_AWS_PORT ?? DefaultPorts.localAws);
  const dataDir = resolve(process.env.LOCAL_AWS_DATA_DIR ?? '.data/local-aws');
  const stack = await startLocalAws({ port, dataDir, host: process.env.LOCAL_AWS_HOST ?? '127.0.0.1' });
  console.log(JSON.stringify({ msg: 'local AWS stack ready', endpoint: stack.endpoint, dataDir }));
  const stop = () => {
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
