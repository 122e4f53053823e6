import { IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { acknowledgeAllowedWildcards } from './acknowledgements';

/**
 * AwsSolutions checks that first acknowledge the declared IAM wildcards. This runs after
 * synthesis, when cross-stack references have their final form, so the acknowledged finding ids
 * are exactly the ones cdk-nag reports.
 */
export class PlatformNagChecks extends AwsSolutionsChecks {
  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = (context as IPolicyValidationContext & { appConstruct?: IConstruct }).appConstruct;
    if (root) acknowledgeAllowedWildcards(root);
    return super.validate(context);
  }

  override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    acknowledgeAllowedWildcards(scope);
    return super.validateScope(scope);
  }
}
