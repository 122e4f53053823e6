/**
 * Every environment variable the platform reads, named once. The apps' config schemas and the CDK
 * app in `infra/` both import these names, so a rename cannot leave one side behind.
 */
export const EnvNames = {
  NODE_ENV: 'NODE_ENV',
  LOG_LEVEL: 'LOG_LEVEL',
  AWS_REGION: 'AWS_REGION',
  /** One endpoint for every AWS service (the local stack); unset in AWS. */
  AWS_ENDPOINT_URL: 'AWS_ENDPOINT_URL',
  PORT: 'PORT',
  PLANT_EVENTS_STREAM: 'PLANT_EVENTS_STREAM',
  CHANGE_FEED_STREAM: 'CHANGE_FEED_STREAM',
  KPI_TABLE: 'KPI_TABLE',
  LEASE_TABLE: 'LEASE_TABLE',
  /** Stream consumer of the stream-writer (KCL-like leases and polling); see docs/stream-consumer.md. */
  STREAM_CONSUMER_WORKER_ID: 'STREAM_CONSUMER_WORKER_ID',
  STREAM_CONSUMER_LEASE_DURATION_MS: 'STREAM_CONSUMER_LEASE_DURATION_MS',
  STREAM_CONSUMER_POLL_INTERVAL_MS: 'STREAM_CONSUMER_POLL_INTERVAL_MS',
  STREAM_CONSUMER_MAX_RECORDS_PER_GET: 'STREAM_CONSUMER_MAX_RECORDS_PER_GET',
  STREAM_CONSUMER_MAX_RECORDS_IN_FLIGHT: 'STREAM_CONSUMER_MAX_RECORDS_IN_FLIGHT',
  STREAM_CONSUMER_SHARD_SYNC_INTERVAL_MS: 'STREAM_CONSUMER_SHARD_SYNC_INTERVAL_MS',
  STREAM_CONSUMER_MAX_ATTEMPTS: 'STREAM_CONSUMER_MAX_ATTEMPTS',
  STREAM_CONSUMER_RETRY_BASE_MS: 'STREAM_CONSUMER_RETRY_BASE_MS',
  STREAM_CONSUMER_MAX_RETRY_DELAY_MS: 'STREAM_CONSUMER_MAX_RETRY_DELAY_MS',
  TIMESTREAM_DATABASE: 'TIMESTREAM_DATABASE',
  TIMESTREAM_TABLE: 'TIMESTREAM_TABLE',
  /** Which trend store the stream-writer and history-subgraph use: `timestream` (LiveAnalytics) or `influxdb`. */
  TREND_STORE: 'TREND_STORE',
  /** Timestream for InfluxDB: API URL (default: AWS_ENDPOINT_URL, the local stack), token, org, bucket. */
  INFLUXDB_URL: 'INFLUXDB_URL',
  INFLUXDB_TOKEN: 'INFLUXDB_TOKEN',
  INFLUXDB_ORG: 'INFLUXDB_ORG',
  INFLUXDB_BUCKET: 'INFLUXDB_BUCKET',
  /** history-subgraph: each plant's UTC offset in minutes (`plt1=60,plt2=-300`) for local day buckets; unlisted plants are on UTC. */
  PLANT_UTC_OFFSETS: 'PLANT_UTC_OFFSETS',
  ALERT_BUS: 'ALERT_BUS',
  RAW_DELIVERY_STREAM: 'RAW_DELIVERY_STREAM',
  /** Firehose stream of the stream-writer's dead letters (lake `dlq/dt=…/`). */
  DEAD_LETTER_DELIVERY_STREAM: 'DEAD_LETTER_DELIVERY_STREAM',
  /** Event-time bounds of the stream-writer around each record's ingest time; see docs/stream-writer-sinks.md. */
  EVENT_TIME_FUTURE_TOLERANCE_MS: 'EVENT_TIME_FUTURE_TOLERANCE_MS',
  EVENT_TIME_MAX_AGE_MS: 'EVENT_TIME_MAX_AGE_MS',
  LAKE_BUCKET: 'LAKE_BUCKET',
  ATHENA_WORKGROUP: 'ATHENA_WORKGROUP',
  GLUE_DATABASE: 'GLUE_DATABASE',
  /** history-subgraph: an Athena query still running after this long is stopped (below SUBGRAPH_REQUEST_DEADLINE_MS). */
  LAKE_QUERY_TIMEOUT_MS: 'LAKE_QUERY_TIMEOUT_MS',
  /** history-subgraph: a production day counts as final (its lake results cached for good) this long after it ended. */
  LAKE_WATERMARK_SETTLE_MS: 'LAKE_WATERMARK_SETTLE_MS',
  MODEL_ENDPOINT: 'MODEL_ENDPOINT',
  KPI_SUBGRAPH_URL: 'KPI_SUBGRAPH_URL',
  HISTORY_SUBGRAPH_URL: 'HISTORY_SUBGRAPH_URL',
  ML_SUBGRAPH_URL: 'ML_SUBGRAPH_URL',
  /** Gateway → subgraph trust: HS256 secret of the internal identity header (Secrets Manager in AWS). */
  INTERNAL_AUTH_SECRET: 'INTERNAL_AUTH_SECRET',
  /** `required` (default) or `off` (benchmarks only; refused when NODE_ENV=production). */
  GATEWAY_AUTH: 'GATEWAY_AUTH',
  /** Callers' JWTs: a local HS256 secret, or the JWKS URL of the identity provider (Cognito) in AWS. */
  JWT_HS256_SECRET: 'JWT_HS256_SECRET',
  JWT_JWKS_URL: 'JWT_JWKS_URL',
  JWT_ISSUER: 'JWT_ISSUER',
  JWT_AUDIENCE: 'JWT_AUDIENCE',
  /** Claim names of the caller's role and plants (Cognito: `custom:role`, `custom:plants`). */
  JWT_ROLE_CLAIM: 'JWT_ROLE_CLAIM',
  JWT_PLANTS_CLAIM: 'JWT_PLANTS_CLAIM',
  /** Per-request deadline of a subgraph (kpi, history), ms: past it, fields fail with DEADLINE_EXCEEDED. */
  SUBGRAPH_REQUEST_DEADLINE_MS: 'SUBGRAPH_REQUEST_DEADLINE_MS',
  LOCAL_AWS_PORT: 'LOCAL_AWS_PORT',
  LOCAL_AWS_DATA_DIR: 'LOCAL_AWS_DATA_DIR',
  /** Folder of the lake bucket as the local stack keeps it (ml-subgraph training sets read features/ there). */
  LAKE_DIR: 'LAKE_DIR',
} as const;

export type EnvName = (typeof EnvNames)[keyof typeof EnvNames];

/** Resource names shared by the apps' defaults, the local stack and the CDK app. */
export const ResourceNames = {
  plantEventsStream: 'plant-events',
  changeFeedStream: 'plant-changes',
  kpiTable: 'plant-kpis',
  leaseTable: 'stream-writer-leases',
  timestreamDatabase: 'plant',
  timestreamTable: 'telemetry',
  alertBus: 'plant-alerts',
  rawDeliveryStream: 'plant-raw',
  deadLetterDeliveryStream: 'plant-dlq',
  lakeBucket: 'plant-lake',
  athenaWorkgroup: 'plant-analytics',
  glueDatabase: 'plant_lake',
  modelEndpoint: 'asset-failure-risk',
} as const;

/** Default ports of the local platform (`npm start`). */
export const DefaultPorts = {
  gateway: 4000,
  kpiSubgraph: 4001,
  historySubgraph: 4002,
  mlSubgraph: 4003,
  streamWriter: 4004,
  localAws: 4566,
} as const;
