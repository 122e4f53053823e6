import { hostname } from 'node:os';
import { z } from 'zod';
import { EnvNames, intVar } from '@plant/config';
import type { ConsumerSettings } from './kinesis-consumer';

/** The consumer's part of the stream-writer's config schema (spread into StreamWriterConfigSchema). */
export const consumerConfigShape = {
  /** Defaults to host name and pid: unique per process, and stable across a container restart only with the pod. */
  [EnvNames.STREAM_CONSUMER_WORKER_ID]: z
    .string()
    .regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be 1-128 letters, digits or . _ : @ -')
    .default(() => `${hostname()}-${process.pid}`),
  [EnvNames.STREAM_CONSUMER_LEASE_DURATION_MS]: intVar(10_000, 500),
  [EnvNames.STREAM_CONSUMER_POLL_INTERVAL_MS]: intVar(250, 1),
  // GetRecords accepts Limit 1..10,000 (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html).
  [EnvNames.STREAM_CONSUMER_MAX_RECORDS_PER_GET]: intVar(10_000, 1, 10_000),
  [EnvNames.STREAM_CONSUMER_MAX_RECORDS_IN_FLIGHT]: intVar(20_000, 1),
  [EnvNames.STREAM_CONSUMER_SHARD_SYNC_INTERVAL_MS]: intVar(60_000, 100),
  // Together these bound how long a poison record can hold its shard (docs/stream-consumer.md).
  [EnvNames.STREAM_CONSUMER_MAX_ATTEMPTS]: intVar(3, 1, 100),
  [EnvNames.STREAM_CONSUMER_RETRY_BASE_MS]: intVar(200, 1, 60_000),
  [EnvNames.STREAM_CONSUMER_MAX_RETRY_DELAY_MS]: intVar(10_000, 1, 600_000),
};

export type ConsumerConfig = { [K in keyof typeof consumerConfigShape]: z.infer<(typeof consumerConfigShape)[K]> };

/** Settings of the worker from config; the derived ones are documented in docs/stream-consumer.md. */
export function consumerSettingsOf(config: ConsumerConfig): ConsumerSettings {
  const pollIntervalMs = config.STREAM_CONSUMER_POLL_INTERVAL_MS;
  return {
    workerId: config.STREAM_CONSUMER_WORKER_ID,
    leaseDurationMs: config.STREAM_CONSUMER_LEASE_DURATION_MS,
    shardSyncIntervalMs: config.STREAM_CONSUMER_SHARD_SYNC_INTERVAL_MS,
    pollIntervalMs,
    maxIdleDelayMs: Math.max(pollIntervalMs, 2_000),
    maxRecordsPerGet: config.STREAM_CONSUMER_MAX_RECORDS_PER_GET,
    maxRecordsInFlight: config.STREAM_CONSUMER_MAX_RECORDS_IN_FLIGHT,
    shutdownTimeoutMs: 30_000,
    retryBaseMs: config.STREAM_CONSUMER_RETRY_BASE_MS,
    maxRetryDelayMs: Math.max(config.STREAM_CONSUMER_RETRY_BASE_MS, config.STREAM_CONSUMER_MAX_RETRY_DELAY_MS),
    maxAttempts: config.STREAM_CONSUMER_MAX_ATTEMPTS,
  };
}
