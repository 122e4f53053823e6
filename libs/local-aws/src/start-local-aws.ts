import { TrendInfluxDb } from '@plant/config';
import { LocalAwsOptions, LocalAwsStack } from './local-aws-stack';
import { provisionLocalResources } from './provision';
import { timestreamRoute } from './timestream/timestream-service';
import type { BufferingLimits } from './firehose/delivery-stream';
import { firehoseRoutes } from './firehose/firehose-service';
import { eventBridgeRoutes } from './eventbridge/eventbridge-service';
import { influxDbRoutes } from './influxdb/influxdb-service';
import { athenaRoute } from './athena/athena-service';
import type { LocalWorkGroup } from './athena/athena-executions';
import { featureStoreRoutes, FeatureStoreOptions } from './featurestore/featurestore-service';
import { sageMakerRuntimeRoute } from './sagemaker-runtime/sagemaker-runtime-service';

/** The InfluxDB bucket of trend points (`TrendInfluxDb` in @plant/config, as the CDK instance creates it). */
export const INFLUXDB_TREND_BUCKET = TrendInfluxDb.bucket;

export interface StartLocalAwsOptions extends LocalAwsOptions {
  /** With a data folder: fdatasync the Firehose write-ahead log before answering (default true); false only appends. */
  firehoseFsync?: boolean;
  /** Caps on Firehose buffers so lake objects appear quickly; default 1 MiB / 1 s. */
  firehoseBuffering?: Partial<BufferingLimits>;
  /** Athena work groups; default `plant-analytics` (1 GiB cutoff, like dev) and `primary`. */
  athenaWorkGroups?: LocalWorkGroup[];
  /** Test knobs of the local Feature Store runtime (clock, records per BatchGetRecord call). */
  featureStore?: Pick<FeatureStoreOptions, 'maxRecordsPerBatchCall' | 'now'>;
  /** How often the local SageMaker endpoint re-reads the current-model pointer (default 1 s). */
  modelPointerTtlMs?: number;
}

/**
 * Starts the whole local AWS stack with every service route and provisions the platform's
 * resources. Tests call it with `{ port: 0 }` (a free port, data in memory); `npm run local-aws`
 * with a fixed port and a data folder.
 */
export async function startLocalAws(options: StartLocalAwsOptions = {}): Promise<LocalAwsStack> {
  const stack = new LocalAwsStack(options);
  stack.addRoute(timestreamRoute({ dataDir: options.dataDir }));
  const firehose = firehoseRoutes({ dataDir: options.dataDir, lakeDir: stack.lakeDir, buffering: options.firehoseBuffering, fsync: options.firehoseFsync });
  stack.addRoute(firehose.api);
  stack.addRoute(firehose.inspection);
  const eventBridge = eventBridgeRoutes({ dataDir: options.dataDir, endpoint: () => stack.endpoint });
  stack.addRoute(eventBridge.api);
  stack.addRoute(eventBridge.inspection);
  const influx = influxDbRoutes({ buckets: [INFLUXDB_TREND_BUCKET] });
  stack.addRoute(influx.write);
  stack.addRoute(influx.query);
  stack.addRoute(athenaRoute({ lakeDir: stack.lakeDir, dataDir: options.dataDir, workGroups: options.athenaWorkGroups }));
  for (const route of featureStoreRoutes({ ...options.featureStore, dataDir: options.dataDir, lakeDir: stack.lakeDir })) stack.addRoute(route);
  stack.addRoute(sageMakerRuntimeRoute({ lakeDir: stack.lakeDir, pointerTtlMs: options.modelPointerTtlMs }));
  await stack.start();
  await provisionLocalResources({ region: 'eu-central-1', endpoint: stack.endpoint });
  return stack;
}
