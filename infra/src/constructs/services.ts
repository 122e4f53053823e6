import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EnvNames } from '@plant/config';
import { AppName, PlatformConfig } from '../config/platform-config';
import { Alerting } from './alerting';
import { ApiIdentity } from './api-identity';
import { AppService } from './app-service';
import { ColdPath } from './cold-path';
import { GatewayLoadBalancer } from './gateway-load-balancer';
import { HotPath } from './hot-path';
import { InfluxTrendStore, trendStoreSettings } from './influx-trend-store';
import { LakeCatalog } from './lake-catalog';
import { MlPlatform } from './ml-platform';
import { APP_PORTS, appEnvironments, commonEnvironment, TREND_APPS } from './service-environment';
import { ServiceGrants } from './service-grants';
import { serviceImage } from './service-image';

export { GATEWAY_HEALTH_CHECK_PATH } from './gateway-load-balancer';

/** What the services use from the data, analytics and ml stacks: the constructs that own it. */
export interface ServicesProps {
  config: PlatformConfig;
  vpc: ec2.IVpc;
  hotPath: HotPath;
  coldPath: ColdPath;
  alerting: Alerting;
  /** The bucket the ALB writes its access logs to. */
  accessLogs: s3.IBucket;
  catalog: LakeCatalog;
  ml: MlPlatform;
}

/**
 * The five apps on ECS Fargate. This construct is their wiring: the cluster with its Cloud Map
 * namespace (subgraphs are reached as `<app>.plant-<env>.internal`), the API identity, the InfluxDB
 * trend store where the environment uses it, and each app's task definition with its environment
 * (service-environment.ts) and secrets. What each app may call is ServiceGrants', the public entry
 * GatewayLoadBalancer's. Their ids are 'Default' and 'Alb' so that every resource keeps its logical
 * id from before the split (CDK leaves 'Default' out of logical ids; a renamed Lake Formation grant
 * would be created anew, and deleting its old copy would revoke the permission).
 */
export class Services extends Construct {
  readonly cluster: ecs.Cluster;
  readonly apps: Record<AppName, AppService>;
  readonly identity: ApiIdentity;
  /** The trend store of accounts without Timestream LiveAnalytics (hotPath.trendStore timestream-influxdb). */
  readonly trendStore?: InfluxTrendStore;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly gatewayTargets: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: ServicesProps) {
    super(scope, id);
    const { config, vpc, hotPath } = props;
    const namespace = `plant-${config.envName}.internal`;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: `plant-${config.envName}`,
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      defaultCloudMapNamespace: { name: namespace, vpc },
    });
    const image = serviceImage(this, config.services.image);
    this.identity = new ApiIdentity(this, 'Identity', { config });

    const names = { config, plantEvents: hotPath.plantEvents, changeFeed: hotPath.changeFeed, kpiTable: hotPath.kpiTable, leaseTable: hotPath.leaseTable, alertBus: props.alerting.bus };
    const environment = appEnvironments(names, this.identity, namespace);
    if (config.hotPath.trendStore === 'timestream-influxdb') this.trendStore = new InfluxTrendStore(this, 'TrendStore', { config, vpc });
    const trendStore = trendStoreSettings(config, this.trendStore);
    const app = (name: AppName, secrets?: Record<string, ecs.Secret>) =>
      new AppService(this, toId(name), {
        config,
        appName: name,
        port: APP_PORTS[name],
        cluster: this.cluster,
        image,
        environment: { ...commonEnvironment(name), ...environment[name], ...(TREND_APPS.has(name) ? trendStore.environment : {}) },
        secrets: { ...secrets, ...(TREND_APPS.has(name) ? trendStore.secrets : {}) },
      });
    // The gateway and the subgraphs that verify its forwarded identity read the internal secret.
    const internal = { [EnvNames.INTERNAL_AUTH_SECRET]: ecs.Secret.fromSecretsManager(this.identity.internalSecret) };
    this.apps = {
      gateway: app('gateway', internal),
      'kpi-subgraph': app('kpi-subgraph', internal),
      'history-subgraph': app('history-subgraph', internal),
      'ml-subgraph': app('ml-subgraph', internal),
      'stream-writer': app('stream-writer'),
    };

    new ServiceGrants(this, 'Default', { ...props, apps: this.apps, trendStore: this.trendStore });
    const entry = new GatewayLoadBalancer(this, 'Alb', { config, vpc, gateway: this.apps.gateway, accessLogs: props.accessLogs });
    this.loadBalancer = entry.loadBalancer;
    this.gatewayTargets = entry.gatewayTargets;
  }
}

const toId = (app: AppName) => app.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
