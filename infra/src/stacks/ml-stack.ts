import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformConfig } from '../config/platform-config';
import { MlPlatform } from '../constructs/ml-platform';
import { DataStack } from './data-stack';

export interface MlStackProps extends StackProps {
  config: PlatformConfig;
  data: DataStack;
}

/** SageMaker Feature Store and the failure-risk model endpoint. */
export class MlStack extends Stack {
  readonly ml: MlPlatform;

  constructor(scope: Construct, id: string, props: MlStackProps) {
    super(scope, id, props);
    this.ml = new MlPlatform(this, 'MlPlatform', { config: props.config, key: props.data.platformKey.key, lake: props.data.buckets.lake });
  }
}
