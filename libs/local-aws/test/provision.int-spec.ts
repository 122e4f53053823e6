import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { DescribeTableCommand as DescribeTimestreamTableCommand, TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { createClient } from '@plant/aws';
import { AlertBus, DYNAMODB_TABLES, FIREHOSE_DELIVERIES, FIREHOSE_JSON_PARSING_ENGINE, KINESIS_STREAMS, TelemetryTable } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';

/**
 * What the local stack provisions, read back through the real SDK clients, against the resource
 * descriptions in @plant/config (infra/test/resource-descriptions.spec.ts checks the CDK side).
 */
describe('local stack provisioning from the resource descriptions', () => {
  let stack: LocalAwsStack;
  let connection: { region: string; endpoint: string };
  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    connection = { region: 'eu-central-1', endpoint: stack.endpoint };
  });
  afterAll(() => stack.stop());

  it('creates every Kinesis stream with its local shard count and retention', async () => {
    const kinesis = createClient(KinesisClient, connection);
    for (const stream of KINESIS_STREAMS) {
      const { StreamDescriptionSummary: summary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream.name }));
      expect({ name: summary?.StreamName, shards: summary?.OpenShardCount, retention: summary?.RetentionPeriodHours }).toEqual({
        name: stream.name,
        shards: stream.local.shards,
        retention: stream.retentionHours,
      });
    }
    kinesis.destroy();
  });

  it('creates every DynamoDB table with the described keys and indexes, on demand', async () => {
    const dynamodb = createClient(DynamoDBClient, connection);
    for (const table of DYNAMODB_TABLES) {
      const { Table: created } = await dynamodb.send(new DescribeTableCommand({ TableName: table.name }));
      expect(created?.KeySchema).toEqual([
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' }] : []),
      ]);
      expect(created?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect((created?.GlobalSecondaryIndexes ?? []).map((i) => ({ name: i.IndexName, keys: i.KeySchema?.map((k) => k.AttributeName), projection: i.Projection?.ProjectionType }))).toEqual(
        table.globalSecondaryIndexes.map((i) => ({ name: i.indexName, keys: [i.partitionKey, i.sortKey].filter(Boolean), projection: i.projection })),
      );
    }
    dynamodb.destroy();
  });

  it('creates every Firehose delivery with the described prefixes, partition query and parser', async () => {
    const firehose = createClient(FirehoseClient, connection);
    for (const delivery of FIREHOSE_DELIVERIES) {
      const out = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: delivery.name }));
      const destination = out.DeliveryStreamDescription!.Destinations![0].ExtendedS3DestinationDescription!;
      const extraction = destination.ProcessingConfiguration?.Processors?.find((p) => p.Type === 'MetadataExtraction')?.Parameters;
      expect({ prefix: destination.Prefix, errorPrefix: destination.ErrorOutputPrefix, partitioned: destination.DynamicPartitioningConfiguration?.Enabled }).toEqual({
        prefix: delivery.prefix,
        errorPrefix: delivery.errorPrefix,
        partitioned: true,
      });
      expect(extraction).toEqual([
        { ParameterName: 'MetadataExtractionQuery', ParameterValue: delivery.partitionKeysQuery },
        { ParameterName: 'JsonParsingEngine', ParameterValue: FIREHOSE_JSON_PARSING_ENGINE },
      ]);
    }
    firehose.destroy();
  });

  it('creates the Timestream trend table with its local retention and magnetic writes, and the alert bus', async () => {
    const timestream = createClient(TimestreamWriteClient, connection);
    const { Table: table } = await timestream.send(new DescribeTimestreamTableCommand({ DatabaseName: TelemetryTable.database, TableName: TelemetryTable.table }));
    expect(table?.RetentionProperties).toEqual({
      MemoryStoreRetentionPeriodInHours: TelemetryTable.local.memoryStoreRetentionHours,
      MagneticStoreRetentionPeriodInDays: TelemetryTable.local.magneticStoreRetentionDays,
    });
    expect(table?.MagneticStoreWriteProperties?.EnableMagneticStoreWrites).toBe(TelemetryTable.magneticStoreWrites);
    timestream.destroy();

    const eventBridge = createClient(EventBridgeClient, connection);
    expect((await eventBridge.send(new DescribeEventBusCommand({ Name: AlertBus.name }))).Name).toBe(AlertBus.name);
    eventBridge.destroy();
  });
});
