import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformConfig } from '../config/platform-config';
import { EtlPipeline } from '../constructs/etl-pipeline';
import { Governance } from '../constructs/governance';
import { LakeCatalog } from '../constructs/lake-catalog';
import { DataStack } from './data-stack';

export interface AnalyticsStackProps extends StackProps {
  config: PlatformConfig;
  data: DataStack;
}

/** The lake's catalog, Athena, the ETL pipeline and Lake Formation governance. */
export class AnalyticsStack extends Stack {
  readonly catalog: LakeCatalog;
  readonly etl: EtlPipeline;
  readonly governance: Governance;

  constructor(scope: Construct, id: string, props: AnalyticsStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const key = data.platformKey.key;
    const { lake, athenaResults } = data.buckets;
    this.catalog = new LakeCatalog(this, 'LakeCatalog', { config, key, lake, athenaResults });
    this.etl = new EtlPipeline(this, 'EtlPipeline', { config, key, lake, catalog: this.catalog });
    this.governance = new Governance(this, 'Governance', { config, lake, catalog: this.catalog, etlRole: this.etl.role });
    // The database (and so its tables) only after the settings that turn off IAMAllowedPrincipals
    // defaults: created earlier in a fresh account, they would stay IAM-readable and bypass the
    // partner's per-plant filter.
    this.catalog.database.node.addDependency(this.governance.settings);
  }
}
