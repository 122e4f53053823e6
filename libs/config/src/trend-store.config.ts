import { z } from 'zod';
import { EnvNames } from './env-names';
import { ConfigError, resourceNameVar, urlVar } from './load-config';
import { TrendInfluxDb } from './resources/trend-stores';

/**
 * Which store backs the TrendStore/TrendQuery ports. `timestream`: Timestream for LiveAnalytics
 * (closed to new customers since 2025-06-20; the local default, which the local stack serves
 * durably). `influxdb`: Amazon Timestream for InfluxDB, what `infra/` deploys for new accounts.
 */
export const TREND_STORE_KINDS = ['timestream', 'influxdb'] as const;
export type TrendStoreKindName = (typeof TREND_STORE_KINDS)[number];

/** Spread into the stream-writer's and history-subgraph's config schemas. */
export const trendStoreConfigShape = {
  [EnvNames.TREND_STORE]: z.enum(TREND_STORE_KINDS, { message: 'must be timestream or influxdb' }).default('timestream'),
  [EnvNames.INFLUXDB_URL]: urlVar().optional(),
  [EnvNames.INFLUXDB_TOKEN]: z.string().min(1, 'must not be empty').optional(),
  [EnvNames.INFLUXDB_ORG]: z.string().min(1, 'must not be empty').default(TrendInfluxDb.organization),
  [EnvNames.INFLUXDB_BUCKET]: resourceNameVar(TrendInfluxDb.bucket),
};

export interface TrendStoreConfig {
  AWS_ENDPOINT_URL?: string;
  TREND_STORE: TrendStoreKindName;
  INFLUXDB_URL?: string;
  INFLUXDB_TOKEN?: string;
  INFLUXDB_ORG: string;
  INFLUXDB_BUCKET: string;
}

/**
 * The InfluxDB connection of a config with TREND_STORE=influxdb. Against the local stack
 * (AWS_ENDPOINT_URL set) URL and token default to the stack; in AWS both must be set (infra does:
 * the instance endpoint and the token secret), otherwise start-up fails naming them.
 */
export function influxConnectionOf(config: TrendStoreConfig): { url: string; token: string; org: string; bucket: string } {
  const url = config.INFLUXDB_URL ?? config.AWS_ENDPOINT_URL;
  const token = config.INFLUXDB_TOKEN ?? (config.AWS_ENDPOINT_URL ? 'local-stack' : undefined);
  const problems = [
    ...(url ? [] : [`${EnvNames.INFLUXDB_URL} is missing: required when ${EnvNames.TREND_STORE} is "influxdb" outside the local stack`]),
    ...(token ? [] : [`${EnvNames.INFLUXDB_TOKEN} is missing: required when ${EnvNames.TREND_STORE} is "influxdb" outside the local stack`]),
  ];
  if (problems.length) throw new ConfigError(problems);
  return { url: url!, token: token!, org: config.INFLUXDB_ORG, bucket: config.INFLUXDB_BUCKET };
}
