import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformConfig } from '../config/platform-config';
import { Network } from '../constructs/network';
import { Observability } from '../constructs/observability';
import { Services } from '../constructs/services';
import { AnalyticsStack } from './analytics-stack';
import { DataStack } from './data-stack';
import { MlStack } from './ml-stack';

export interface ServicesStackProps extends StackProps {
  config: PlatformConfig;
  data: DataStack;
  analytics: AnalyticsStack;
  ml: MlStack;
}

/** The VPC, the five Fargate services behind the ALB, and the platform's alarms. */
export class ServicesStack extends Stack {
  readonly network: Network;
  readonly services: Services;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: ServicesStackProps) {
    super(scope, id, props);
    const { config, data, analytics, ml } = props;
    this.network = new Network(this, 'Network', { config });
    const { hotPath, coldPath, alerting, buckets } = data;
    this.services = new Services(this, 'Services', {
      config,
      vpc: this.network.vpc,
      hotPath,
      coldPath,
      alerting,
      accessLogs: buckets.accessLogs,
      catalog: analytics.catalog,
      ml: ml.ml,
    });
    this.observability = new Observability(this, 'Observability', {
      config,
      key: data.platformKey.key,
      plantEvents: hotPath.plantEvents,
      changeFeed: hotPath.changeFeed,
      lake: buckets.lake,
      alertIntegrationDeadLetters: alerting.integrationDeadLetters,
      etlStateMachine: analytics.etl.stateMachine,
      loadBalancer: this.services.loadBalancer,
    });
  }
}
