import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as timestream from 'aws-cdk-lib/aws-timestream';
import { Construct } from 'constructs';
import { EnvNames, TrendInfluxDb } from '@plant/config';
import { PlatformConfig } from '../config/platform-config';

/** InfluxDB's HTTP API port (writes in line protocol, InfluxQL through the v1-compatible /query). */
export const INFLUXDB_PORT = TrendInfluxDb.port;
/** The organization and bucket the trend points go to (`TrendInfluxDb`, which the local stack serves too). */
export const INFLUXDB_ORGANIZATION = TrendInfluxDb.organization;
export const INFLUXDB_BUCKET = TrendInfluxDb.bucket;
const ADMIN_USER = 'plant-admin';

export interface InfluxTrendStoreProps {
  config: PlatformConfig;
  vpc: ec2.IVpc;
}

/**
 * The trend store of accounts without Timestream for LiveAnalytics: one Amazon Timestream for
 * InfluxDB (InfluxDB 2) instance in the services' private subnets, reachable only from the
 * services `allowFrom` names (the stream-writer writes, the history-subgraph queries). Multi-AZ
 * standby in prod. The admin password is generated in Secrets Manager and passed by dynamic
 * reference (never in the template); the apps' API token is created once after the first deploy
 * and stored in `tokenSecret` (docs/infra.md, runbook), which ECS injects as INFLUXDB_TOKEN.
 */
export class InfluxTrendStore extends Construct {
  readonly instance: timestream.CfnInfluxDBInstance;
  readonly securityGroup: ec2.SecurityGroup;
  readonly adminSecret: secretsmanager.Secret;
  readonly tokenSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: InfluxTrendStoreProps) {
    super(scope, id);
    const { config, vpc } = props;
    const { influxDb } = config.hotPath;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'InfluxDB trend store: HTTP API from the stream-writer and the history-subgraph only',
      allowAllOutbound: false,
    });
    this.adminSecret = new secretsmanager.Secret(this, 'AdminSecret', {
      secretName: `plant/${config.envName}/trend-store-admin`,
      description: 'Initial InfluxDB admin user of the trend store (operators only; the apps use the token secret)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: ADMIN_USER }),
        generateStringKey: 'password',
        // InfluxDB accepts 8-64 characters; punctuation would need escaping in its CLI.
        passwordLength: 40,
        excludePunctuation: true,
      },
    });
    this.tokenSecret = new secretsmanager.Secret(this, 'TokenSecret', {
      secretName: `plant/${config.envName}/trend-store-token`,
      description: 'InfluxDB API token the apps use (read/write on the telemetry bucket); replace the generated placeholder after the first deploy',
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });

    const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    this.instance = new timestream.CfnInfluxDBInstance(this, 'Instance', {
      name: `plant-${config.envName}-trends`,
      dbInstanceType: influxDb.instanceType,
      allocatedStorage: influxDb.storageGiB,
      dbStorageType: 'InfluxIOIncludedT1',
      deploymentType: influxDb.deploymentType,
      // A standby needs subnets in two zones; the API allows at most three.
      vpcSubnetIds: subnets.slice(0, 3),
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      publiclyAccessible: false,
      port: INFLUXDB_PORT,
      organization: INFLUXDB_ORGANIZATION,
      bucket: INFLUXDB_BUCKET,
      username: ADMIN_USER,
      password: this.adminSecret.secretValueFromJson('password').unsafeUnwrap(),
    });
    this.instance.applyRemovalPolicy(config.removalPolicy);
  }

  /** Opens the HTTP API to a service. */
  allowFrom(peer: ec2.IConnectable, description: string): void {
    this.securityGroup.connections.allowFrom(peer, ec2.Port.tcp(INFLUXDB_PORT), description);
  }
}

/**
 * What the stream-writer and history-subgraph get to select their trend adapter (TREND_STORE in
 * @plant/config): the InfluxDB endpoint and bucket, and the token as an ECS secret.
 */
export function trendStoreSettings(config: PlatformConfig, store?: InfluxTrendStore): { environment: Record<string, string>; secrets: Record<string, ecs.Secret> } {
  if (config.hotPath.trendStore === 'timestream-liveanalytics' || !store) return { environment: { [EnvNames.TREND_STORE]: 'timestream' }, secrets: {} };
  return {
    environment: {
      [EnvNames.TREND_STORE]: 'influxdb',
      // Timestream for InfluxDB serves its API over TLS only.
      [EnvNames.INFLUXDB_URL]: `https://${store.instance.attrEndpoint}:${INFLUXDB_PORT}`,
      [EnvNames.INFLUXDB_ORG]: INFLUXDB_ORGANIZATION,
      [EnvNames.INFLUXDB_BUCKET]: INFLUXDB_BUCKET,
    },
    secrets: { [EnvNames.INFLUXDB_TOKEN]: ecs.Secret.fromSecretsManager(store.tokenSecret) },
  };
}
