import { ResourceNames } from '../env-names';

/**
 * The Timestream for LiveAnalytics trend table (accounts that still have it, and the local
 * default). Retention is sized per environment: `local` here, dev and prod in
 * infra/src/config/environments.ts. Magnetic writes are on everywhere, so a replayed backlog older
 * than the memory store is accepted instead of rejected.
 */
export const TelemetryTable = {
  database: ResourceNames.timestreamDatabase,
  table: ResourceNames.timestreamTable,
  magneticStoreWrites: true,
  local: { memoryStoreRetentionHours: 24, magneticStoreRetentionDays: 365 },
} as const;

/**
 * Timestream for InfluxDB (InfluxDB 2), what new accounts get: the organization and the bucket the
 * trend points go to (the bucket is the trend "table"), and the HTTP API port. Read by the CDK
 * instance (infra/src/constructs/influx-trend-store.ts), the local stack's InfluxDB endpoint and
 * the apps' INFLUXDB_ORG / INFLUXDB_BUCKET defaults.
 */
export const TrendInfluxDb = {
  organization: 'plant',
  bucket: ResourceNames.timestreamTable,
  port: 8086,
} as const;
