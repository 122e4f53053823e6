import { Aws, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DefaultPorts, EnvNames, GatewayLimitDefaults, ResourceNames, SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS } from '@plant/config';
import { AppName, PlatformConfig } from '../config/platform-config';
import { AnalyticsStack } from '../stacks/analytics-stack';
import { DataStack } from '../stacks/data-stack';
import { MlStack } from '../stacks/ml-stack';
import { REFINED_TABLES } from './governance';
import { LakeGrant } from './lake-permissions';
import { AppService } from './app-service';

export interface ServicesProps {
  config: PlatformConfig;
  vpc: ec2.IVpc;
  data: DataStack;
  analytics: AnalyticsStack;
  ml: MlStack;
}

const PORTS: Record<AppName, number> = {
  gateway: DefaultPorts.gateway,
  'kpi-subgraph': DefaultPorts.kpiSubgraph,
  'history-subgraph': DefaultPorts.historySubgraph,
  'ml-subgraph': DefaultPorts.mlSubgraph,
  'stream-writer': DefaultPorts.streamWriter,
};

/**
 * The five apps on ECS Fargate, each with its own task role granted exactly what it calls, and
 * the public ALB in front of the gateway. Subgraphs are reached by the gateway through Cloud Map.
 */
export class Services extends Construct {
  readonly cluster: ecs.Cluster;
  readonly apps: Record<AppName, AppService>;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly gatewayTargets: elbv2.ApplicationTargetGroup;
  readonly jwtSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ServicesProps) {
    super(scope, id);
    const { config, data, analytics, ml } = props;
    const { hotPath, coldPath, alerting, buckets } = data;
    const namespace = `plant-${config.envName}.internal`;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: `plant-${config.envName}`,
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      defaultCloudMapNamespace: { name: namespace, vpc: props.vpc },
    });
    const repository = ecr.Repository.fromRepositoryName(this, 'Image', config.services.imageRepositoryName);
    this.jwtSecret = new secretsmanager.Secret(this, 'JwtSecret', {
      secretName: `plant/${config.envName}/jwt-secret`,
      description: 'HS256 secret the gateway verifies client tokens with',
      // aws/secretsmanager, not the platform key: a key grant through Secrets Manager would put this
      // stack's execution role into the data stack's key policy (a dependency cycle).
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });

    const common = (app: AppName) => ({
      [EnvNames.NODE_ENV]: 'production',
      [EnvNames.LOG_LEVEL]: 'info',
      [EnvNames.AWS_REGION]: Aws.REGION,
      [EnvNames.PORT]: String(PORTS[app]),
    });
    const subgraphUrl = (app: AppName) => `http://${app}.${namespace}:${PORTS[app]}/graphql`;
    const environment: Record<AppName, Record<string, string>> = {
      gateway: {
        [EnvNames.KPI_SUBGRAPH_URL]: subgraphUrl('kpi-subgraph'),
        [EnvNames.HISTORY_SUBGRAPH_URL]: subgraphUrl('history-subgraph'),
        [EnvNames.ML_SUBGRAPH_URL]: subgraphUrl('ml-subgraph'),
        // Every API limit explicitly (docs/api-limits.md), so the deployed values are in the template.
        ...Object.fromEntries(Object.entries(GatewayLimitDefaults).map(([name, value]) => [name, String(value)])),
      },
      'kpi-subgraph': {
        [EnvNames.KPI_TABLE]: hotPath.kpiTable.tableName,
        [EnvNames.CHANGE_FEED_STREAM]: hotPath.changeFeed.streamName,
        [EnvNames.SUBGRAPH_REQUEST_DEADLINE_MS]: String(SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS),
      },
      'history-subgraph': {
        [EnvNames.SUBGRAPH_REQUEST_DEADLINE_MS]: String(SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS),
        [EnvNames.TIMESTREAM_DATABASE]: ResourceNames.timestreamDatabase,
        [EnvNames.TIMESTREAM_TABLE]: ResourceNames.timestreamTable,
        [EnvNames.ATHENA_WORKGROUP]: ResourceNames.athenaWorkgroup,
        [EnvNames.GLUE_DATABASE]: ResourceNames.glueDatabase,
      },
      'ml-subgraph': {
        [EnvNames.FEATURE_GROUP]: ResourceNames.featureGroup,
        [EnvNames.MODEL_ENDPOINT]: ResourceNames.modelEndpoint,
      },
      'stream-writer': {
        [EnvNames.PLANT_EVENTS_STREAM]: hotPath.plantEvents.streamName,
        [EnvNames.CHANGE_FEED_STREAM]: hotPath.changeFeed.streamName,
        [EnvNames.KPI_TABLE]: hotPath.kpiTable.tableName,
        [EnvNames.LEASE_TABLE]: hotPath.leaseTable.tableName,
        [EnvNames.TIMESTREAM_DATABASE]: ResourceNames.timestreamDatabase,
        [EnvNames.TIMESTREAM_TABLE]: ResourceNames.timestreamTable,
        [EnvNames.ALERT_BUS]: alerting.bus.eventBusName,
        [EnvNames.RAW_DELIVERY_STREAM]: ResourceNames.rawDeliveryStream,
        [EnvNames.DEAD_LETTER_DELIVERY_STREAM]: ResourceNames.deadLetterDeliveryStream,
        // STREAM_CONSUMER_WORKER_ID stays unset: it must be unique per task (the app defaults to host + pid).
        [EnvNames.STREAM_CONSUMER_LEASE_DURATION_MS]: String(config.streamConsumer.leaseDurationMs),
        [EnvNames.STREAM_CONSUMER_POLL_INTERVAL_MS]: String(config.streamConsumer.pollIntervalMs),
        [EnvNames.STREAM_CONSUMER_MAX_RECORDS_PER_GET]: String(config.streamConsumer.maxRecordsPerGet),
        [EnvNames.STREAM_CONSUMER_MAX_RECORDS_IN_FLIGHT]: String(config.streamConsumer.maxRecordsInFlight),
        [EnvNames.STREAM_CONSUMER_SHARD_SYNC_INTERVAL_MS]: String(config.streamConsumer.shardSyncIntervalMs),
      },
    };
    const app = (name: AppName, secrets?: Record<string, ecs.Secret>) =>
      new AppService(this, toId(name), {
        config,
        appName: name,
        port: PORTS[name],
        cluster: this.cluster,
        repository,
        environment: { ...common(name), ...environment[name] },
        secrets,
      });
    this.apps = {
      gateway: app('gateway', { [EnvNames.JWT_SECRET]: ecs.Secret.fromSecretsManager(this.jwtSecret) }),
      'kpi-subgraph': app('kpi-subgraph'),
      'history-subgraph': app('history-subgraph'),
      'ml-subgraph': app('ml-subgraph'),
      'stream-writer': app('stream-writer'),
    };

    // Least privilege: each role gets what its app calls, nothing else.
    const writer = this.apps['stream-writer'].taskRole;
    hotPath.plantEvents.grantRead(writer);
    hotPath.changeFeed.grantWrite(writer);
    // The change-feed sink's health check describes the stream (apps/stream-writer/src/routing/sink-health.ts).
    hotPath.changeFeed.grant(writer, 'kinesis:DescribeStreamSummary');
    hotPath.grantKpiStoreWrite(writer);
    hotPath.leaseTable.grantReadWriteData(writer);
    hotPath.grantTelemetryWrite(writer);
    alerting.grantPutAlerts(writer);
    coldPath.grantPutRecords(writer);
    coldPath.grantPutDeadLetters(writer);

    const kpi = this.apps['kpi-subgraph'].taskRole;
    hotPath.grantKpiReadAndAcknowledge(kpi);
    hotPath.changeFeed.grantRead(kpi);

    const history = this.apps['history-subgraph'].taskRole;
    hotPath.grantTelemetryQuery(history);
    analytics.catalog.grantAthenaQuery(history, REFINED_TABLES);
    new LakeGrant(this, 'HistoryReadsRefined', {
      principalArn: history.roleArn,
      tables: REFINED_TABLES,
      access: 'read',
    });

    const mlRole = this.apps['ml-subgraph'].taskRole;
    ml.ml.grantReadFeatures(mlRole);
    ml.ml.grantInvokeModel(mlRole);

    for (const subgraph of ['kpi-subgraph', 'history-subgraph', 'ml-subgraph'] as const) {
      this.apps[subgraph].service.connections.allowFrom(this.apps.gateway.service, ec2.Port.tcp(PORTS[subgraph]), 'gateway → subgraph');
    }

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      loadBalancerName: `plant-${config.envName}-gateway`,
      vpc: props.vpc,
      internetFacing: true,
      // graphql-ws sockets idle between events; the default 60 s would cut quiet subscriptions.
      idleTimeout: config.services.albIdleTimeout,
      dropInvalidHeaderFields: true,
    });
    this.loadBalancer.logAccessLogs(buckets.accessLogs, 'alb');
    const listener = config.services.certificateArn
      ? this.loadBalancer.addListener('Https', {
          port: 443,
          protocol: elbv2.ApplicationProtocol.HTTPS,
          certificates: [elbv2.ListenerCertificate.fromArn(config.services.certificateArn)],
          sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        })
      : this.loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP });
    if (config.services.certificateArn) this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    this.gatewayTargets = listener.addTargets('Gateway', {
      port: PORTS.gateway,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.apps.gateway.service],
      healthCheck: { path: '/health', healthyHttpCodes: '200', interval: Duration.seconds(15) },
      deregistrationDelay: Duration.seconds(30),
    });
    this.apps.gateway.scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: config.services.gatewayRequestsPerTarget,
      targetGroup: this.gatewayTargets,
    });
  }
}

const toId = (app: AppName) => app.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
