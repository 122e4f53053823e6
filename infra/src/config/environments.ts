import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { failureRiskPackageKey, FirehoseBuffering, PlantEventsStream } from '@plant/config';
import { AppName, AppSizing, ENVIRONMENTS, EnvironmentName, PlatformConfig, TREND_STORES, TrendStoreKind } from './platform-config';

const REGION = 'eu-central-1';
/** SageMaker scikit-learn inference image for eu-central-1 (framework images live in a per-region account). */
const SKLEARN_IMAGE = `492215442770.dkr.ecr.${REGION}.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3`;
/** The repository CI pushes to when an image is chosen by tag (`-c imageTag=…`). */
export const DEFAULT_IMAGE_REPOSITORY = 'plant-platform';
const azs = (...letters: string[]) => letters.map((letter) => `${REGION}${letter}`);

const size = (cpu: AppSizing['cpu'], memoryMiB: number, minTasks: number, maxTasks: number): AppSizing => ({
  cpu,
  memoryMiB,
  minTasks,
  maxTasks,
  cpuTargetPercent: 60,
});

const devApps: Record<AppName, AppSizing> = {
  gateway: size(512, 1024, 1, 2),
  'kpi-subgraph': size(256, 512, 1, 2),
  'history-subgraph': size(256, 512, 1, 2),
  'ml-subgraph': size(256, 512, 1, 2),
  'stream-writer': size(512, 1024, 1, 2),
};

const prodApps: Record<AppName, AppSizing> = {
  gateway: size(1024, 2048, 2, 10),
  'kpi-subgraph': size(512, 1024, 2, 6),
  'history-subgraph': size(512, 1024, 2, 6),
  'ml-subgraph': size(512, 1024, 2, 4),
  // One stream-writer task per few shards: more tasks than shards only steal leases from each other.
  'stream-writer': size(1024, 2048, 2, 8),
};

/** The app's defaults, written out so a deployment shows (and can tune) what the consumer runs with. */
const streamConsumer: PlatformConfig['streamConsumer'] = {
  leaseDurationMs: 10_000,
  pollIntervalMs: 250,
  maxRecordsPerGet: 10_000,
  maxRecordsInFlight: 20_000,
  shardSyncIntervalMs: 60_000,
  maxAttempts: 3,
  retryBaseMs: 200,
  maxRetryDelayMs: 10_000,
};

/** The app's defaults (libs/contracts DEFAULT_EVENT_TIME_BOUNDS): 5 min of clock skew, 7 days of edge buffering. */
const eventTimeBounds: PlatformConfig['eventTimeBounds'] = {
  futureToleranceMs: 5 * 60_000,
  maxAgeMs: 7 * 24 * 60 * 60_000,
};

export const PLATFORM_CONFIGS: Record<EnvironmentName, PlatformConfig> = {
  dev: {
    envName: 'dev',
    region: REGION,
    removalPolicy: RemovalPolicy.DESTROY,
    hotPath: {
      plantEvents: { mode: 'provisioned', shards: 2 },
      changeFeedShards: 1,
      streamRetention: Duration.hours(PlantEventsStream.retentionHours),
      trendStore: 'timestream-influxdb',
      liveAnalytics: { memoryRetentionHours: 24, magneticRetentionDays: 30 },
      influxDb: { instanceType: 'db.influx.medium', storageGiB: 20, deploymentType: 'SINGLE_AZ' },
    },
    lake: {
      rewrittenZonesNoncurrentExpiry: Duration.days(1),
      noncurrentExpiry: Duration.days(30),
      rawToInfrequentAccessAfter: Duration.days(30),
      rawToGlacierAfter: Duration.days(90),
      deadLetterExpiry: Duration.days(30),
      athenaResultsExpiry: Duration.days(7),
      accessLogsExpiry: Duration.days(30),
    },
    firehose: { bufferSizeMiB: FirehoseBuffering.default.sizeMiB, bufferInterval: Duration.seconds(FirehoseBuffering.default.intervalSeconds) },
    alerts: { archiveRetentionDays: 7, logRetention: RetentionDays.ONE_WEEK },
    etl: { schedule: 'rate(1 hour)', workerType: 'G.1X', numberOfWorkers: 2, jobTimeoutMinutes: 30 },
    athena: { bytesScannedCutoffPerQuery: 1024 ** 3 },
    governance: { lakeAdminRoleNames: ['PlatformAdmin'], partnerPlantIds: ['plant-demo'] },
    ml: {
      modelImageUri: SKLEARN_IMAGE,
      modelArtifactKey: failureRiskPackageKey(),
      entryPoint: 'inference.py',
      endpoint: { kind: 'serverless', memorySizeMiB: 2048, maxConcurrency: 5 },
    },
    services: {
      image: { source: 'asset' },
      requireImmutableImage: false,
      availabilityZones: azs('a', 'b'),
      natGateways: 1,
      albIdleTimeout: Duration.seconds(900),
      requireTls: false,
      gatewayRequestsPerTarget: 500,
      logRetention: RetentionDays.TWO_WEEKS,
      apps: devApps,
    },
    streamConsumer,
    eventTimeBounds,
    alarms: { iteratorAgeMs: 60_000, firehoseFreshnessSeconds: 900, alb5xxPerMinute: 10 },
  },
  prod: {
    envName: 'prod',
    region: REGION,
    removalPolicy: RemovalPolicy.RETAIN,
    hotPath: {
      plantEvents: { mode: 'on-demand' },
      changeFeedShards: 2,
      streamRetention: Duration.days(7),
      trendStore: 'timestream-influxdb',
      liveAnalytics: { memoryRetentionHours: 72, magneticRetentionDays: 730 },
      influxDb: { instanceType: 'db.influx.large', storageGiB: 400, deploymentType: 'WITH_MULTIAZ_STANDBY' },
    },
    lake: {
      rewrittenZonesNoncurrentExpiry: Duration.days(1),
      noncurrentExpiry: Duration.days(30),
      rawToInfrequentAccessAfter: Duration.days(30),
      rawToGlacierAfter: Duration.days(180),
      deadLetterExpiry: Duration.days(365),
      athenaResultsExpiry: Duration.days(30),
      accessLogsExpiry: Duration.days(365),
    },
    firehose: { bufferSizeMiB: 128, bufferInterval: Duration.seconds(300) },
    alerts: { archiveRetentionDays: 90, logRetention: RetentionDays.ONE_YEAR },
    etl: { schedule: 'rate(1 hour)', workerType: 'G.2X', numberOfWorkers: 10, jobTimeoutMinutes: 60 },
    athena: { bytesScannedCutoffPerQuery: 100 * 1024 ** 3 },
    governance: { lakeAdminRoleNames: ['PlatformAdmin'], partnerPlantIds: [] },
    ml: {
      modelImageUri: SKLEARN_IMAGE,
      modelArtifactKey: failureRiskPackageKey(),
      entryPoint: 'inference.py',
      endpoint: { kind: 'instances', instanceType: 'ml.m5.large', instanceCount: 2 },
    },
    services: {
      image: { source: 'asset' },
      requireImmutableImage: true,
      availabilityZones: azs('a', 'b', 'c'),
      natGateways: 3,
      albIdleTimeout: Duration.seconds(3600),
      requireTls: true,
      gatewayRequestsPerTarget: 1000,
      logRetention: RetentionDays.THREE_MONTHS,
      apps: prodApps,
    },
    streamConsumer,
    eventTimeBounds,
    alarms: { iteratorAgeMs: 30_000, firehoseFreshnessSeconds: 600, alb5xxPerMinute: 5 },
  },
};

/** Values a deployment may override with `-c key=value` without editing this file. */
export interface ConfigOverrides {
  account?: string;
  /** An image CI pushed (immutable tag or `sha256:` digest) instead of building the asset. */
  imageTag?: string;
  imageRepository?: string;
  /** `timestream-liveanalytics` for accounts that already have it; default timestream-influxdb. */
  trendStore?: string;
  certificateArn?: string;
  partnerPlantIds?: string[];
}

export function isEnvironmentName(value: string): value is EnvironmentName {
  return (ENVIRONMENTS as readonly string[]).includes(value);
}

/** The config of one environment with overrides applied; throws naming every rule the result breaks. */
export function platformConfigFor(envName: EnvironmentName, overrides: ConfigOverrides = {}): PlatformConfig {
  const base = PLATFORM_CONFIGS[envName];
  const config: PlatformConfig = {
    ...base,
    account: overrides.account ?? base.account,
    hotPath: { ...base.hotPath, trendStore: (overrides.trendStore as TrendStoreKind | undefined) ?? base.hotPath.trendStore },
    governance: { ...base.governance, partnerPlantIds: overrides.partnerPlantIds ?? base.governance.partnerPlantIds },
    services: {
      ...base.services,
      image: overrides.imageTag
        ? { source: 'ecr', repositoryName: overrides.imageRepository ?? DEFAULT_IMAGE_REPOSITORY, tag: overrides.imageTag }
        : base.services.image,
      certificateArn: overrides.certificateArn ?? base.services.certificateArn,
    },
  };
  const problems = validatePlatformConfig(config);
  if (problems.length) throw new Error(`Invalid ${envName} platform config:\n  - ${problems.join('\n  - ')}`);
  return config;
}

/** Limits AWS enforces at deploy time, checked at synth time so a bad config fails in seconds. */
export function validatePlatformConfig(config: PlatformConfig): string[] {
  const problems: string[] = [];
  const { hotPath, firehose, services, governance } = config;
  if (hotPath.plantEvents.mode === 'provisioned' && hotPath.plantEvents.shards < 1)
    problems.push('hotPath.plantEvents.shards must be at least 1');
  if (hotPath.changeFeedShards < 1) problems.push('hotPath.changeFeedShards must be at least 1');
  // https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html (buffer size ≥ 64 MiB)
  if (firehose.bufferSizeMiB < FirehoseBuffering.minSizeMiB || firehose.bufferSizeMiB > FirehoseBuffering.maxSizeMiB)
    problems.push(`firehose.bufferSizeMiB must be ${FirehoseBuffering.minSizeMiB}-${FirehoseBuffering.maxSizeMiB} with dynamic partitioning`);
  const idle = services.albIdleTimeout.toSeconds();
  if (idle < 1 || idle > 4000) problems.push('services.albIdleTimeout must be 1-4000 seconds');
  if (config.lake.rawToGlacierAfter.toDays() <= config.lake.rawToInfrequentAccessAfter.toDays())
    problems.push('lake.rawToGlacierAfter must be later than lake.rawToInfrequentAccessAfter');
  for (const [app, sizing] of Object.entries(services.apps)) {
    if (sizing.minTasks < 1 || sizing.maxTasks < sizing.minTasks)
      problems.push(`services.apps.${app}: need 1 <= minTasks <= maxTasks`);
  }
  for (const plant of governance.partnerPlantIds) {
    // The ids end up inside a Lake Formation row filter expression: no quotes or operators.
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(plant)) problems.push(`governance.partnerPlantIds: "${plant}" is not a plant id`);
  }
  const consumer = config.streamConsumer;
  for (const [name, value] of Object.entries(consumer)) {
    if (!Number.isInteger(value) || value < 1) problems.push(`streamConsumer.${name} must be a whole number of at least 1`);
  }
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html (Limit 1-10,000)
  if (consumer.maxRecordsPerGet > 10_000) problems.push('streamConsumer.maxRecordsPerGet must be at most 10000');
  // The stream-writer's config refuses values outside these ranges at boot.
  const { futureToleranceMs, maxAgeMs } = config.eventTimeBounds;
  if (!Number.isInteger(futureToleranceMs) || futureToleranceMs < 0 || futureToleranceMs > 3_600_000) problems.push('eventTimeBounds.futureToleranceMs must be 0-3600000');
  if (!Number.isInteger(maxAgeMs) || maxAgeMs < 60_000 || maxAgeMs > 400 * 86_400_000) problems.push('eventTimeBounds.maxAgeMs must be 60000-34560000000');
  if (!/^(rate|cron)\(.+\)$/.test(config.etl.schedule)) problems.push('etl.schedule must be rate(...) or cron(...)');
  problems.push(...validateServices(config), ...validateMl(config), ...validateTrendStore(config));
  return problems;
}

/** ECR tags: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html (imageTag pattern) */
const ECR_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const ECR_DIGEST = /^sha256:[0-9a-f]{64}$/;

function validateServices({ envName, region, services }: PlatformConfig): string[] {
  const problems: string[] = [];
  const { image, availabilityZones, natGateways } = services;
  if (image.source === 'ecr') {
    if (!ECR_TAG.test(image.tag) && !ECR_DIGEST.test(image.tag)) problems.push(`services.image.tag "${image.tag}" is neither an ECR tag nor a sha256 digest`);
    // A mutable tag lets a rollback or a new task silently run another build than the one deployed.
    if (services.requireImmutableImage && image.tag === 'latest')
      problems.push(`${envName} refuses the mutable image tag "latest": deploy the Dockerfile asset (no -c imageTag) or -c imageTag=<immutable tag or sha256 digest>`);
  }
  if (services.requireTls && !services.certificateArn)
    problems.push(`${envName} requires TLS: pass -c certificateArn=<ACM certificate ARN in ${region}> (the ALB would otherwise serve tokens over plain HTTP)`);
  if (services.certificateArn && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/.test(services.certificateArn))
    problems.push(`services.certificateArn "${services.certificateArn}" is not an ACM certificate ARN`);
  if (new Set(availabilityZones).size !== availabilityZones.length || availabilityZones.some((az) => !new RegExp(`^${region}[a-z]$`).test(az)))
    problems.push(`services.availabilityZones must be distinct zones of ${region}`);
  if (availabilityZones.length < 2) problems.push('services.availabilityZones: an ALB needs at least 2');
  if (natGateways < 1 || natGateways > availabilityZones.length) problems.push('services.natGateways must be 1 to the number of availability zones');
  return problems;
}

function validateTrendStore({ hotPath }: PlatformConfig): string[] {
  if (!(TREND_STORES as readonly string[]).includes(hotPath.trendStore)) return [`hotPath.trendStore "${hotPath.trendStore}" must be one of: ${TREND_STORES.join(', ')}`];
  const { storageGiB, instanceType } = hotPath.influxDb;
  // https://docs.aws.amazon.com/ts-influxdb/latest/ts-influxdb-api/API_CreateDbInstance.html (allocatedStorage 20-16384)
  const problems = storageGiB >= 20 && storageGiB <= 16_384 ? [] : ['hotPath.influxDb.storageGiB must be 20-16384'];
  if (!/^db\.influx\.[a-z0-9]+$/.test(instanceType)) problems.push(`hotPath.influxDb.instanceType "${instanceType}" is not a db.influx.* class`);
  return problems;
}

function validateMl({ ml }: PlatformConfig): string[] {
  // The scikit-learn container runs <submit dir>/<entryPoint>; without it /ping fails and the endpoint never comes up.
  return /^[\w-]+\.py$/.test(ml.entryPoint) ? [] : [`ml.entryPoint "${ml.entryPoint}" must be a Python file name (SAGEMAKER_PROGRAM)`];
}
