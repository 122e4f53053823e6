import { Aws, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { DefaultPorts, EnvNames, GatewayLimitDefaults, ResourceNames, SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS } from '@plant/config';
import { AppName, PlatformConfig } from '../config/platform-config';
import { AnalyticsStack } from '../stacks/analytics-stack';
import { DataStack } from '../stacks/data-stack';
import { MlStack } from '../stacks/ml-stack';
import { REFINED_TABLES } from './governance';
import { LakeGrant } from './lake-permissions';
import { ApiIdentity } from './api-identity';
import { AppService } from './app-service';
import { InfluxTrendStore, trendStoreSettings } from './influx-trend-store';
import { serviceImage } from './service-image';

/**
 * What the ALB probes: liveness only. `/health` is readiness and fails when any subgraph is down,
 * which would take every gateway task out of the target group at once.
 */
export const GATEWAY_HEALTH_CHECK_PATH = '/health/live';

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
  readonly identity: ApiIdentity;
  /** The trend store of accounts without Timestream LiveAnalytics (hotPath.trendStore timestream-influxdb). */
  readonly trendStore?: InfluxTrendStore;

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
    const image = serviceImage(this, config.services.image);
    this.identity = new ApiIdentity(this, 'Identity', { config });

    const common = (app: AppName) => ({
      [EnvNames.NODE_ENV]: 'production',
      [EnvNames.LOG_LEVEL]: 'info',
      [EnvNames.AWS_REGION]: Aws.REGION,
      [EnvNames.PORT]: String(PORTS[app]),
    });
    const subgraphUrl = (app: AppName) => `http://${app}.${namespace}:${PORTS[app]}/graphql`;
    const environment: Record<AppName, Record<string, string>> = {
      gateway: {
        ...this.identity.gatewayEnvironment(),
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
        [EnvNames.SUBGRAPH_REQUEST_DEADLINE_MS]: String(SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS),
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
        [EnvNames.EVENT_TIME_FUTURE_TOLERANCE_MS]: String(config.eventTimeBounds.futureToleranceMs),
        [EnvNames.EVENT_TIME_MAX_AGE_MS]: String(config.eventTimeBounds.maxAgeMs),
        [EnvNames.STREAM_CONSUMER_MAX_ATTEMPTS]: String(config.streamConsumer.maxAttempts),
        [EnvNames.STREAM_CONSUMER_RETRY_BASE_MS]: String(config.streamConsumer.retryBaseMs),
        [EnvNames.STREAM_CONSUMER_MAX_RETRY_DELAY_MS]: String(config.streamConsumer.maxRetryDelayMs),
      },
    };
    if (config.hotPath.trendStore === 'timestream-influxdb') this.trendStore = new InfluxTrendStore(this, 'TrendStore', { config, vpc: props.vpc });
    const trendStore = trendStoreSettings(config, this.trendStore);
    const app = (name: AppName, secrets?: Record<string, ecs.Secret>) =>
      new AppService(this, toId(name), {
        config,
        appName: name,
        port: PORTS[name],
        cluster: this.cluster,
        image,
        environment: { ...common(name), ...environment[name], ...(TREND_APPS.has(name) ? trendStore.environment : {}) },
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

    // Least privilege: each role gets what its app calls, nothing else.
    const writer = this.apps['stream-writer'].taskRole;
    hotPath.plantEvents.grantRead(writer);
    hotPath.changeFeed.grantWrite(writer);
    // The change-feed sink's health check describes the stream (apps/stream-writer/src/routing/sink-health.ts).
    hotPath.changeFeed.grant(writer, 'kinesis:DescribeStreamSummary');
    hotPath.grantKpiStoreWrite(writer);
    hotPath.leaseTable.grantReadWriteData(writer);
    alerting.grantPutAlerts(writer);
    coldPath.grantPutRecords(writer);
    coldPath.grantPutDeadLetters(writer);

    const kpi = this.apps['kpi-subgraph'].taskRole;
    hotPath.grantKpiReadAndAcknowledge(kpi);
    hotPath.changeFeed.grantRead(kpi);

    const history = this.apps['history-subgraph'].taskRole;
    analytics.catalog.grantAthenaQuery(history, REFINED_TABLES);
    new LakeGrant(this, 'HistoryReadsRefined', {
      principalArn: history.roleArn,
      tables: REFINED_TABLES,
      access: 'read',
    });

    if (config.hotPath.trendStore === 'timestream-liveanalytics') {
      hotPath.grantTelemetryWrite(writer);
      hotPath.grantTelemetryQuery(history);
    } else if (this.trendStore) {
      // The token reaches the containers as an ECS secret (the execution role reads it), not through the task roles.
      for (const name of TREND_APPS) this.trendStore.allowFrom(this.apps[name].service, `${name} → trend store`);
    }

    // The feature sink writes online records (issue 12).
    ml.ml.grantWriteFeatures(writer);
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
    const listener = this.gatewayListener(config);
    this.gatewayTargets = listener.addTargets('Gateway', {
      port: PORTS.gateway,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.apps.gateway.service],
      healthCheck: { path: GATEWAY_HEALTH_CHECK_PATH, healthyHttpCodes: '200', interval: Duration.seconds(15) },
      deregistrationDelay: Duration.seconds(30),
    });
    this.apps.gateway.scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: config.services.gatewayRequestsPerTarget,
      targetGroup: this.gatewayTargets,
    });
  }

  /**
   * HTTPS with the certificate (port 80 only redirects). Plain HTTP only where the config allows it
   * (dev); platformConfigFor already refuses a prod config without a certificate, this guards reuse.
   */
  private gatewayListener(config: PlatformConfig): elbv2.ApplicationListener {
    const { certificateArn, requireTls } = config.services;
    if (!certificateArn) {
      if (requireTls) throw new Error(`${config.envName} requires TLS: set services.certificateArn (-c certificateArn=…)`);
      return this.loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP });
    }
    this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    return this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(certificateArn)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    });
  }
}

/** The apps that read or write trends. */
const TREND_APPS: ReadonlySet<AppName> = new Set(['stream-writer', 'history-subgraph']);

const toId = (app: AppName) => app.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
