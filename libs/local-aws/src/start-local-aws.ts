import { LocalAwsOptions, LocalAwsStack } from './local-aws-stack';
import { provisionLocalResources } from './provision';
import { timestreamRoute } from './timestream/timestream-service';

/**
 * Starts the whole local AWS stack with every service route and provisions the platform's
 * resources. Tests call it with `{ port: 0 }` (a free port, data in memory); `npm run local-aws`
 * with a fixed port and a data folder.
 */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAwsStack> {
  const stack = new LocalAwsStack(options);
  stack.addRoute(timestreamRoute({ dataDir: options.dataDir }));
  await stack.start();
  await provisionLocalResources({ region: 'eu-central-1', endpoint: stack.endpoint });
  return stack;
}
