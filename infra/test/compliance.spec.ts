import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PlatformNagChecks } from '../src/nag/platform-nag-checks';
import { SynthesisedPlatform, synthPlatform } from './synth-platform';

/**
 * The rendered dev templates, with what legitimately changes between machines or edits replaced:
 * content hashes of the ETL script assets and of the CDK bootstrap version rule.
 */
function stableTemplate(template: Template): unknown {
  return JSON.parse(JSON.stringify(template.toJSON()).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}

describe('compliance and snapshot', () => {
  let dev: SynthesisedPlatform;
  let prod: SynthesisedPlatform;
  beforeAll(() => {
    dev = synthPlatform('dev');
    prod = synthPlatform('prod', { certificateArn: 'arn:aws:acm:eu-central-1:111122223333:certificate/abc', partnerPlantIds: ['plant-1'] });
  });

  it.each(['dev', 'prod'] as const)('%s has no unacknowledged cdk-nag AwsSolutions error or warning', (envName) => {
    const platform = envName === 'dev' ? dev : prod;
    const report = new PlatformNagChecks(platform.app).validateScope(platform.app);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('records a written reason for every acknowledged finding', () => {
    new PlatformNagChecks(dev.app).validateScope(dev.app);
    const acknowledgements = dev.app.node
      .findAll()
      .flatMap((node) => node.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, unknown>));
    expect(acknowledgements.length).toBeGreaterThan(10);
    for (const [rule, reason] of acknowledgements) {
      expect(`${rule}: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`).toMatch(/: .{20,}/);
    }
  });

  it('still reports a wildcard nobody declared', () => {
    const { stacks, app } = synthPlatform('dev');
    stacks.services.services.apps['kpi-subgraph'].taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    const report = new PlatformNagChecks(app).validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-IAM5[Action::dynamodb:*]');
  });

  it.each(['data', 'analytics', 'ml', 'services'] as const)('renders the dev %s template as committed', (stack) => {
    expect(stableTemplate(dev[stack])).toMatchSnapshot();
  });
});
