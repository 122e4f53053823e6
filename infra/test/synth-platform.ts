import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigOverrides, platformConfigFor } from '../src/config/environments';
import { EnvironmentName, PlatformConfig } from '../src/config/platform-config';
import { buildPlatform, PlatformStacks } from '../src/platform';

/** The feature flags the CLI app runs with (cdk.json), so tests synthesise the same templates. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../cdk.json'), 'utf8'),
).context;

export interface SynthesisedPlatform {
  app: App;
  config: PlatformConfig;
  stacks: PlatformStacks;
  data: Template;
  analytics: Template;
  ml: Template;
  services: Template;
}

/** A certificate for prod synthesis: prod refuses to build without one (TLS required). */
export const TEST_CERTIFICATE_ARN = 'arn:aws:acm:eu-central-1:111122223333:certificate/abc';

/**
 * Builds one environment and renders its four templates once (call it in beforeAll). CloudFormation
 * schema validation is off here: it costs seconds per run and has its own test.
 */
export function synthPlatform(envName: EnvironmentName, overrides: ConfigOverrides = {}, validate = false): SynthesisedPlatform {
  const app = new App({ context: CDK_CONTEXT, builtinCloudFormationValidation: validate });
  const config = platformConfigFor(envName, envName === 'prod' ? { certificateArn: TEST_CERTIFICATE_ARN, ...overrides } : overrides);
  const stacks = buildPlatform(app, config);
  return {
    app,
    config,
    stacks,
    data: Template.fromStack(stacks.data),
    analytics: Template.fromStack(stacks.analytics),
    ml: Template.fromStack(stacks.ml),
    services: Template.fromStack(stacks.services),
  };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** The one resource of a type whose logical id starts with the given construct path id. */
export function resourceOf(template: Template, type: string, logicalIdPrefix: string): { id: string; properties: Record<string, any> } {
  const matches = Object.entries(template.findResources(type) as Resources).filter(([id]) => id.startsWith(logicalIdPrefix));
  if (matches.length !== 1) throw new Error(`expected one ${type} starting with ${logicalIdPrefix}, found ${matches.map(([id]) => id).join(', ') || 'none'}`);
  const [id, resource] = matches[0];
  return { id, properties: resource.Properties ?? {} };
}

/** Every IAM action a role's inline policies allow, flattened (statements of its DefaultPolicy). */
export function actionsOfRole(template: Template, roleLogicalIdPrefix: string): string[] {
  const role = resourceOf(template, 'AWS::IAM::Role', roleLogicalIdPrefix);
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter((p) =>
    JSON.stringify(p.Properties?.Roles ?? []).includes(`"${role.id}"`),
  );
  return policies.flatMap((p) =>
    ((p.Properties?.PolicyDocument as { Statement: { Effect: string; Action: string | string[] }[] }).Statement ?? [])
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
  );
}

/** The Allow statements of a role's inline policies. */
export function statementsOfRole(template: Template, roleLogicalIdPrefix: string): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const role = resourceOf(template, 'AWS::IAM::Role', roleLogicalIdPrefix);
  return Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => JSON.stringify(p.Properties?.Roles ?? []).includes(`"${role.id}"`))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: { Effect: string; Action: string | string[]; Resource: unknown }[] }).Statement)
    .filter((s) => (s as { Effect: string }).Effect === 'Allow');
}
