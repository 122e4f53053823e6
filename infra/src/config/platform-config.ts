import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** The environments the CDK app knows; each one is deployed into its own AWS account. */
export const ENVIRONMENTS = ['dev', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** The five processes of the platform, each one ECS Fargate service. */
export const APP_NAMES = ['gateway', 'kpi-subgraph', 'history-subgraph', 'ml-subgraph', 'stream-writer'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** `plant-events` capacity: on-demand scales by itself; provisioned is cheaper for a steady, known load. */
export type StreamCapacity = { mode: 'on-demand' } | { mode: 'provisioned'; shards: number };

/**
 * Where the services' image comes from. `asset`: `cdk deploy` builds the repository's Dockerfile and
 * pushes it to the bootstrap ECR repository under its content hash (needs Docker where `cdk deploy`
 * runs, not at synth). `ecr`: an image CI pushed, by an immutable tag or digest.
 */
export type ImageSource = { source: 'asset' } | { source: 'ecr'; repositoryName: string; tag: string };

/**
 * The store behind the TrendStore/TrendQuery ports. Timestream for LiveAnalytics is closed to new
 * customers since 2025-06-20 (existing ones keep it), so new accounts get Timestream for InfluxDB.
 */
export const TREND_STORES = ['timestream-influxdb', 'timestream-liveanalytics'] as const;
export type TrendStoreKind = (typeof TREND_STORES)[number];

/** Serverless endpoints cost nothing idle (dev); instances give steady latency (prod). */
export type EndpointCapacity =
  | { kind: 'serverless'; memorySizeMiB: 1024 | 2048 | 3072 | 4096 | 5120 | 6144; maxConcurrency: number }
  | { kind: 'instances'; instanceType: string; instanceCount: number };

export interface AppSizing {
  /** Fargate CPU units (256 = 0.25 vCPU). */
  cpu: 256 | 512 | 1024 | 2048 | 4096;
  memoryMiB: number;
  minTasks: number;
  maxTasks: number;
  /** Average CPU the service scales out above. */
  cpuTargetPercent: number;
}

/** Everything that differs between environments; stacks read sizes and retention only from here. */
export interface PlatformConfig {
  envName: EnvironmentName;
  region: string;
  /** Unset: the stacks are account-agnostic and the CLI profile decides the account. */
  account?: string;
  /** DESTROY lets a dev account be torn down; prod keeps data when a stack is deleted. */
  removalPolicy: RemovalPolicy;
  hotPath: {
    plantEvents: StreamCapacity;
    changeFeedShards: number;
    streamRetention: Duration;
    trendStore: TrendStoreKind;
    /** Used when trendStore is timestream-liveanalytics (accounts that already have it). */
    liveAnalytics: { memoryRetentionHours: number; magneticRetentionDays: number };
    /** Used when trendStore is timestream-influxdb: one InfluxDB 2 instance in the services' VPC. */
    influxDb: {
      /** db.influx.medium … db.influx.16xlarge */
      instanceType: string;
      /** 20-16384 GiB */
      storageGiB: number;
      deploymentType: 'SINGLE_AZ' | 'WITH_MULTIAZ_STANDBY';
    };
  };
  lake: {
    /**
     * Noncurrent versions of the zones the ETL rewrites (curated/, refined/, features/): every hourly
     * run replaces a day's partition, so a longer window keeps ~24 copies of it per day.
     */
    rewrittenZonesNoncurrentExpiry: Duration;
    /** Noncurrent versions elsewhere (raw, dead letters): an undo window for mistakes. */
    noncurrentExpiry: Duration;
    rawToInfrequentAccessAfter: Duration;
    rawToGlacierAfter: Duration;
    deadLetterExpiry: Duration;
    athenaResultsExpiry: Duration;
    accessLogsExpiry: Duration;
  };
  firehose: {
    /** Dynamic partitioning needs at least 64 MiB. */
    bufferSizeMiB: number;
    bufferInterval: Duration;
  };
  alerts: {
    archiveRetentionDays: number;
    logRetention: RetentionDays;
  };
  etl: {
    /** EventBridge Scheduler expression for the raw → curated → refined run. */
    schedule: string;
    workerType: 'G.1X' | 'G.2X';
    numberOfWorkers: number;
    jobTimeoutMinutes: number;
  };
  athena: { bytesScannedCutoffPerQuery: number };
  governance: {
    /** IAM role names (in the deployment account) that administer Lake Formation. */
    lakeAdminRoleNames: string[];
    /** Plants the partner role may see, through a data cells filter. */
    partnerPlantIds: string[];
  };
  ml: {
    /** Inference image of the model (region-specific SageMaker framework image). */
    modelImageUri: string;
    /** Key of the model artifact inside the lake bucket: `npm run train`'s model.tar.gz (`model.json` plus `code/<entryPoint>`, docs/ml-model.md). */
    modelArtifactKey: string;
    /** The inference script inside the artifact's `code/` folder (SAGEMAKER_PROGRAM). */
    entryPoint: string;
    endpoint: EndpointCapacity;
  };
  services: {
    image: ImageSource;
    /** Prod: an image must be immutable (asset hash, a tag other than `latest`, or a digest). */
    requireImmutableImage: boolean;
    /**
     * Written out, not `maxAzs`: an account-agnostic stack only knows 2 AZs at synth time, so
     * `maxAzs: 3` silently gave prod 2 AZs.
     */
    availabilityZones: string[];
    natGateways: number;
    /** ALB idle timeout; graphql-ws keeps sockets open, so it is far above the HTTP default of 60 s. */
    albIdleTimeout: Duration;
    /** With a certificate the ALB listens on HTTPS (port 80 only redirects); without one (dev only) on HTTP. */
    certificateArn?: string;
    /** Prod: refuse to synthesise without a certificate, so tokens never cross the internet in cleartext. */
    requireTls: boolean;
    gatewayRequestsPerTarget: number;
    logRetention: RetentionDays;
    apps: Record<AppName, AppSizing>;
  };
  /**
   * The stream-writer's consumer (docs/stream-consumer.md), set as STREAM_CONSUMER_* variables. The
   * worker id is not here: it must differ per task, so each task keeps the app's default (host + pid).
   */
  streamConsumer: {
    leaseDurationMs: number;
    pollIntervalMs: number;
    /** GetRecords accepts 1-10,000. */
    maxRecordsPerGet: number;
    maxRecordsInFlight: number;
    shardSyncIntervalMs: number;
    /** With the retry delays, the bound on how long a poison record holds its shard (docs/stream-consumer.md). */
    maxAttempts: number;
    retryBaseMs: number;
    maxRetryDelayMs: number;
  };
  /**
   * The stream-writer's event-time bounds around each record's ingest time (EVENT_TIME_* variables,
   * docs/stream-writer-sinks.md): events outside are dead-lettered instead of folded into KPIs.
   */
  eventTimeBounds: {
    futureToleranceMs: number;
    maxAgeMs: number;
  };
  alarms: {
    iteratorAgeMs: number;
    firehoseFreshnessSeconds: number;
    alb5xxPerMinute: number;
  };
}
