import { synthPlatform } from './synth-platform';

/**
 * CDK's built-in CloudFormation schema validation (the same `cdk synth` runs). It caught untyped
 * L1 properties written in camelCase (SageMaker feature group store configs), which
 * CloudFormation would only reject at deploy time.
 */
describe('CloudFormation schema validation', () => {
  it.each(['dev', 'prod'] as const)('accepts every %s template', (envName) => {
    expect(() => synthPlatform(envName, {}, true)).not.toThrow();
  });
});
