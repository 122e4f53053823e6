import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformConfig } from '../config/platform-config';
import { Alerting } from '../constructs/alerting';
import { ColdPath } from '../constructs/cold-path';
import { HotPath } from '../constructs/hot-path';
import { LakeBuckets } from '../constructs/lake-buckets';
import { PlatformKey } from '../constructs/platform-key';

export interface DataStackProps extends StackProps {
  config: PlatformConfig;
}

/** Stateful storage and ingestion: the key, the lake buckets, the hot path, Firehose and alert routing. */
export class DataStack extends Stack {
  readonly platformKey: PlatformKey;
  readonly buckets: LakeBuckets;
  readonly hotPath: HotPath;
  readonly coldPath: ColdPath;
  readonly alerting: Alerting;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.platformKey = new PlatformKey(this, 'PlatformKey', { envName: config.envName, removalPolicy: config.removalPolicy });
    const key = this.platformKey.key;
    this.buckets = new LakeBuckets(this, 'LakeBuckets', { config, key });
    this.hotPath = new HotPath(this, 'HotPath', { config, key });
    this.coldPath = new ColdPath(this, 'ColdPath', { config, key, lake: this.buckets.lake });
    this.alerting = new Alerting(this, 'Alerting', { config, key });
  }
}
