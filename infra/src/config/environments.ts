import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AppName, AppSizing, ENVIRONMENTS, EnvironmentName, PlatformConfig } from './platform-config';

const REGION = 'eu-central-1';
/** SageMaker scikit-learn inference image for eu-central-1 (framework images live in a per-region account). */
const SKLEARN_IMAGE = `492215442770.dkr.ecr.${REGION}.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3`;

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
      streamRetention: Duration.hours(24),
      timestreamMemoryRetentionHours: 24,
      timestreamMagneticRetentionDays: 30,
    },
    lake: {
      rawToInfrequentAccessAfter: Duration.days(30),
      rawToGlacierAfter: Duration.days(90),
      deadLetterExpiry: Duration.days(30),
      athenaResultsExpiry: Duration.days(7),
      accessLogsExpiry: Duration.days(30),
    },
    firehose: { bufferSizeMiB: 64, bufferInterval: Duration.seconds(60) },
    alerts: { archiveRetentionDays: 7, logRetention: RetentionDays.ONE_WEEK },
    etl: { schedule: 'rate(1 hour)', workerType: 'G.1X', numberOfWorkers: 2, jobTimeoutMinutes: 30 },
    athena: { bytesScannedCutoffPerQuery: 1024 ** 3 },
    governance: { lakeAdminRoleNames: ['PlatformAdmin'], partnerPlantIds: ['plant-demo'] },
    ml: {
      modelImageUri: SKLEARN_IMAGE,
      modelArtifactKey: 'models/asset-failure-risk/model.tar.gz',
      endpoint: { kind: 'serverless', memorySizeMiB: 2048, maxConcurrency: 5 },
    },
    services: {
      imageRepositoryName: 'plant-platform',
      imageTag: 'latest',
      maxAzs: 2,
      natGateways: 1,
      albIdleTimeout: Duration.seconds(900),
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
      timestreamMemoryRetentionHours: 72,
      timestreamMagneticRetentionDays: 730,
    },
    lake: {
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
      modelArtifactKey: 'models/asset-failure-risk/model.tar.gz',
      endpoint: { kind: 'instances', instanceType: 'ml.m5.large', instanceCount: 2 },
    },
    services: {
      imageRepositoryName: 'plant-platform',
      imageTag: 'latest',
      maxAzs: 3,
      natGateways: 3,
      albIdleTimeout: Duration.seconds(3600),
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
  imageTag?: string;
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
    governance: { ...base.governance, partnerPlantIds: overrides.partnerPlantIds ?? base.governance.partnerPlantIds },
    services: {
      ...base.services,
      imageTag: overrides.imageTag ?? base.services.imageTag,
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
  if (firehose.bufferSizeMiB < 64 || firehose.bufferSizeMiB > 128)
    problems.push('firehose.bufferSizeMiB must be 64-128 with dynamic partitioning');
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
  return problems;
}
