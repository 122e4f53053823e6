import { Aws } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { DefaultPorts, EnvNames, GatewayLimitDefaults, LakeQueryDefaults, ResourceNames, SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS } from '@plant/config';
import { AppName, PlatformConfig } from '../config/platform-config';
import { ApiIdentity } from './api-identity';

/** The port each app listens on in its task (the local defaults, so a task runs like `npm start`). */
export const APP_PORTS: Record<AppName, number> = {
  gateway: DefaultPorts.gateway,
  'kpi-subgraph': DefaultPorts.kpiSubgraph,
  'history-subgraph': DefaultPorts.historySubgraph,
  'ml-subgraph': DefaultPorts.mlSubgraph,
  'stream-writer': DefaultPorts.streamWriter,
};

/** The apps that read or write trends. */
export const TREND_APPS: ReadonlySet<AppName> = new Set(['stream-writer', 'history-subgraph']);

/** The resources whose names reach the apps as environment variables (access is ServiceGrants'). */
export interface AppResourceNames {
  config: PlatformConfig;
  plantEvents: kinesis.IStream;
  changeFeed: kinesis.IStream;
  kpiTable: dynamodb.ITable;
  leaseTable: dynamodb.ITable;
  alertBus: events.IEventBus;
}

/** Each app's own environment variables (names from @plant/config, as the apps' config schemas read them). */
export function appEnvironments(props: AppResourceNames, identity: ApiIdentity, namespace: string): Record<AppName, Record<string, string>> {
  const { config, plantEvents, changeFeed, kpiTable, leaseTable, alertBus } = props;
  const subgraphUrl = (app: AppName) => `http://${app}.${namespace}:${APP_PORTS[app]}/graphql`;
  return {
    gateway: {
      ...identity.gatewayEnvironment(),
      [EnvNames.KPI_SUBGRAPH_URL]: subgraphUrl('kpi-subgraph'),
      [EnvNames.HISTORY_SUBGRAPH_URL]: subgraphUrl('history-subgraph'),
      [EnvNames.ML_SUBGRAPH_URL]: subgraphUrl('ml-subgraph'),
      // Every API limit explicitly (docs/api-limits.md), so the deployed values are in the template.
      ...Object.fromEntries(Object.entries(GatewayLimitDefaults).map(([name, value]) => [name, String(value)])),
    },
    'kpi-subgraph': {
      [EnvNames.KPI_TABLE]: kpiTable.tableName,
      [EnvNames.CHANGE_FEED_STREAM]: changeFeed.streamName,
      [EnvNames.SUBGRAPH_REQUEST_DEADLINE_MS]: String(SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS),
    },
    'history-subgraph': {
      [EnvNames.SUBGRAPH_REQUEST_DEADLINE_MS]: String(SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS),
      [EnvNames.TIMESTREAM_DATABASE]: ResourceNames.timestreamDatabase,
      [EnvNames.TIMESTREAM_TABLE]: ResourceNames.timestreamTable,
      [EnvNames.ATHENA_WORKGROUP]: ResourceNames.athenaWorkgroup,
      [EnvNames.GLUE_DATABASE]: ResourceNames.glueDatabase,
      [EnvNames.LAKE_QUERY_TIMEOUT_MS]: String(LakeQueryDefaults.timeoutMs),
      [EnvNames.LAKE_WATERMARK_SETTLE_MS]: String(LakeQueryDefaults.watermarkSettleMs),
    },
    'ml-subgraph': {
      [EnvNames.SUBGRAPH_REQUEST_DEADLINE_MS]: String(SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS),
      [EnvNames.MODEL_ENDPOINT]: ResourceNames.modelEndpoint,
    },
    'stream-writer': {
      [EnvNames.PLANT_EVENTS_STREAM]: plantEvents.streamName,
      [EnvNames.CHANGE_FEED_STREAM]: changeFeed.streamName,
      [EnvNames.KPI_TABLE]: kpiTable.tableName,
      [EnvNames.LEASE_TABLE]: leaseTable.tableName,
      [EnvNames.TIMESTREAM_DATABASE]: ResourceNames.timestreamDatabase,
      [EnvNames.TIMESTREAM_TABLE]: ResourceNames.timestreamTable,
      [EnvNames.ALERT_BUS]: alertBus.eventBusName,
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
}

/** What every app reads: production mode, info logs, the task's region and its port. */
export const commonEnvironment = (app: AppName): Record<string, string> => ({
  [EnvNames.NODE_ENV]: 'production',
  [EnvNames.LOG_LEVEL]: 'info',
  [EnvNames.AWS_REGION]: Aws.REGION,
  [EnvNames.PORT]: String(APP_PORTS[app]),
});
