import {
  AlertBus,
  DYNAMODB_TABLES,
  FIREHOSE_DELIVERIES,
  FIREHOSE_PARTITIONING_RETRY_SECONDS,
  KINESIS_STREAMS,
  TelemetryTable,
  TrendInfluxDb,
} from '@plant/config';
import { createDeliveryStreamInput, createTableInput, INFLUXDB_TREND_BUCKET, STREAMS } from '@plant/local-aws';
import { SynthesisedPlatform, synthPlatform } from './synth-platform';

type Resources = Record<string, { Properties: Record<string, any> }>;
const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) => String(a.AttributeName).localeCompare(String(b.AttributeName));

/**
 * Each AWS resource is described once in @plant/config; the CDK app and the local stack's
 * provisioning both render it. These tests hold the two renderings against each other, so a setting
 * that one side stops reading (or overrides) fails here. Sizes that differ per environment on
 * purpose (shards, buffers, retention) are checked in data-stack.spec.ts.
 */
describe('resource descriptions: CDK and local stack render the same resources', () => {
  let dev: SynthesisedPlatform;
  let liveAnalytics: SynthesisedPlatform;
  beforeAll(() => {
    dev = synthPlatform('dev');
    liveAnalytics = synthPlatform('dev', { trendStore: 'timestream-liveanalytics' });
  });
  const resourcesOf = (platform: SynthesisedPlatform, type: string, stack: 'data' | 'services' = 'data') =>
    Object.values(platform[stack].findResources(type) as Resources).map((r) => r.Properties);

  it('declares every described Kinesis stream, and the local stack creates the same ones', () => {
    const deployed = resourcesOf(dev, 'AWS::Kinesis::Stream').map((s) => s.Name);
    expect(deployed.sort()).toEqual(KINESIS_STREAMS.map((s) => s.name).sort());
    expect(STREAMS.map((s) => s.name)).toEqual(KINESIS_STREAMS.map((s) => s.name));
    // dev keeps the described retention; prod sets its own (7 days) in its environment config.
    for (const stream of resourcesOf(dev, 'AWS::Kinesis::Stream')) expect(stream.RetentionPeriodHours).toBe(KINESIS_STREAMS.find((s) => s.name === stream.Name)!.retentionHours);
  });

  it.each(DYNAMODB_TABLES.map((t) => [t.name, t] as const))('keys, indexes and TTL of %s equal the local CreateTable input', (name, table) => {
    const deployed = resourcesOf(dev, 'AWS::DynamoDB::Table').find((t) => t.TableName === name)!;
    const local = createTableInput(table);
    expect(deployed.KeySchema).toEqual(local.KeySchema);
    expect([...deployed.AttributeDefinitions].sort(byName)).toEqual([...local.AttributeDefinitions!].sort(byName));
    expect(deployed.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(deployed.BillingMode).toBe(local.BillingMode);
    expect(deployed.TimeToLiveSpecification?.AttributeName).toBe(table.ttlAttribute);
  });

  it.each(FIREHOSE_DELIVERIES.map((d) => [d.name, d] as const))('prefixes and processors of %s equal the local CreateDeliveryStream input', (name, delivery) => {
    const deployed = resourcesOf(dev, 'AWS::KinesisFirehose::DeliveryStream').find((s) => s.DeliveryStreamName === name)!.ExtendedS3DestinationConfiguration;
    const local = createDeliveryStreamInput(delivery).ExtendedS3DestinationConfiguration!;
    expect({ prefix: deployed.Prefix, errorPrefix: deployed.ErrorOutputPrefix }).toEqual({ prefix: local.Prefix, errorPrefix: local.ErrorOutputPrefix });
    expect(deployed.DynamicPartitioningConfiguration).toEqual({ Enabled: local.DynamicPartitioningConfiguration!.Enabled, RetryOptions: { DurationInSeconds: FIREHOSE_PARTITIONING_RETRY_SECONDS } });
    expect(deployed.ProcessingConfiguration.Processors).toEqual(local.ProcessingConfiguration!.Processors);
    // Dev runs the described default buffers; the local stack creates the same and caps them further.
    expect(deployed.BufferingHints).toEqual(local.BufferingHints);
  });

  it('creates the LiveAnalytics trend table with the described names and magnetic writes', () => {
    const [database] = resourcesOf(liveAnalytics, 'AWS::Timestream::Database');
    const [table] = resourcesOf(liveAnalytics, 'AWS::Timestream::Table');
    expect(database.DatabaseName).toBe(TelemetryTable.database);
    expect({ database: table.DatabaseName, table: table.TableName }).toEqual({ database: TelemetryTable.database, table: TelemetryTable.table });
    expect(table.MagneticStoreWriteProperties).toEqual({ EnableMagneticStoreWrites: TelemetryTable.magneticStoreWrites });
  });

  it('creates the InfluxDB trend store with the organization, bucket and port the local stack serves', () => {
    const [instance] = resourcesOf(dev, 'AWS::Timestream::InfluxDBInstance', 'services');
    expect({ organization: instance.Organization, bucket: instance.Bucket, port: instance.Port }).toEqual(TrendInfluxDb);
    expect(INFLUXDB_TREND_BUCKET).toBe(TrendInfluxDb.bucket);
  });

  it('names the alert bus as described', () => {
    expect(resourcesOf(dev, 'AWS::Events::EventBus').map((b) => b.Name)).toEqual([AlertBus.name]);
  });
});
