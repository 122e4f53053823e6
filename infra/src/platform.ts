import { Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformConfig } from './config/platform-config';
import { serializeLakeFormationChanges } from './constructs/lake-permissions';
import { acknowledgePlatformFindings } from './nag/platform-acknowledgements';
import { AnalyticsStack } from './stacks/analytics-stack';
import { DataStack } from './stacks/data-stack';
import { MlStack } from './stacks/ml-stack';
import { ServicesStack } from './stacks/services-stack';

export interface PlatformStacks {
  data: DataStack;
  analytics: AnalyticsStack;
  ml: MlStack;
  services: ServicesStack;
}

/**
 * One environment of the platform: four stacks, deployed in this order (data → analytics → ml →
 * services). Stack names carry the environment, so `cdk deploy --all -c env=dev` touches dev only.
 */
export function buildPlatform(scope: Construct, config: PlatformConfig): PlatformStacks {
  const env = { account: config.account, region: config.region };
  const name = (part: string) => `plant-${config.envName}-${part}`;
  const data = new DataStack(scope, name('data'), { config, env, description: 'Plant platform: key, lake buckets, streams, tables, Timestream, Firehose, alerts' });
  const analytics = new AnalyticsStack(scope, name('analytics'), { config, data, env, description: 'Plant platform: Glue catalog, Athena, ETL, Lake Formation' });
  const ml = new MlStack(scope, name('ml'), { config, data, env, description: 'Plant platform: Feature Store and model endpoint' });
  const services = new ServicesStack(scope, name('services'), { config, data, analytics, ml, env, description: 'Plant platform: VPC, Fargate services, ALB, alarms' });
  for (const stack of [data, analytics, ml, services]) {
    Tags.of(stack).add('project', 'plant-data-platform');
    Tags.of(stack).add('environment', config.envName);
    acknowledgePlatformFindings(stack);
    serializeLakeFormationChanges(stack);
  }
  return { data, analytics, ml, services };
}

