import { App, Validations } from 'aws-cdk-lib';
import { PlatformNagChecks } from '../src/nag/platform-nag-checks';
import { ENVIRONMENTS, EnvironmentName } from '../src/config/platform-config';
import { ConfigOverrides, isEnvironmentName, platformConfigFor } from '../src/config/environments';
import { buildPlatform } from '../src/platform';

/**
 * The CDK app. `-c env=dev|prod` selects one environment (default: both, so `cdk synth` checks
 * both). Optional context: account, imageTag (+ imageRepository), certificateArn (required for prod),
 * partnerPlantIds (comma-separated), trendStore (timestream-influxdb | timestream-liveanalytics).
 * No lookups: it synthesises offline, without AWS credentials or Docker (the image asset is only
 * staged at synth; `cdk deploy` builds it).
 */
const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === '' ? undefined : String(value);
};

const requested = context('env');
if (requested !== undefined && !isEnvironmentName(requested)) {
  throw new Error(`-c env=${requested} is not an environment; use one of: ${ENVIRONMENTS.join(', ')}`);
}
const environments: readonly EnvironmentName[] = requested ? [requested] : ENVIRONMENTS;
const overrides: ConfigOverrides = {
  account: context('account'),
  imageTag: context('imageTag'),
  imageRepository: context('imageRepository'),
  trendStore: context('trendStore'),
  certificateArn: context('certificateArn'),
  partnerPlantIds: context('partnerPlantIds')?.split(',').map((id) => id.trim()),
};
for (const envName of environments) buildPlatform(app, platformConfigFor(envName, overrides));
Validations.of(app).addPlugins(new PlatformNagChecks(app));
app.synth();
