import { CreateTableCommand, CreateTableCommandInput, DescribeTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, ResourceInUseException as StreamInUse } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import { AwsConnection, DYNAMODB_TABLES, DynamoDbTableDescription, KINESIS_STREAMS } from '@plant/config';
import { provisionEventBridge } from './eventbridge/eventbridge-provision';
import { provisionFirehose } from './firehose/firehose-provision';
import { createUnlessExists, waitUntil } from './provision-steps';
import { provisionTimestream } from './timestream/timestream-provision';

/** Streams the platform needs (`KINESIS_STREAMS` in @plant/config), with their local shard counts. */
export const STREAMS = KINESIS_STREAMS.map(({ name, local }) => ({ name, shards: local.shards }));

/** The CreateTable input of a table description (on-demand; every key attribute a string). */
export function createTableInput(table: DynamoDbTableDescription): CreateTableCommandInput {
  const keySchema = (partitionKey: string, sortKey?: string) => [
    { AttributeName: partitionKey, KeyType: 'HASH' as const },
    ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
  ];
  const keyAttributes = [table.partitionKey, table.sortKey, ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  return {
    TableName: table.name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...new Set(keyAttributes.filter((name): name is string => !!name))].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.globalSecondaryIndexes.length
      ? {
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: index.projection },
          })),
        }
      : {}),
  };
}

/** Tables the platform needs (`DYNAMODB_TABLES` in @plant/config, which the CDK app reads too). */
export const TABLES: CreateTableCommandInput[] = DYNAMODB_TABLES.map(createTableInput);

/** Creates every stream and table that does not exist yet and waits until all are ACTIVE. Idempotent. */
export async function provisionLocalResources(connection: AwsConnection): Promise<void> {
  const kinesis = createClient(KinesisClient, connection);
  const dynamodb = createClient(DynamoDBClient, connection);
  try {
    await Promise.all([
      provisionTimestream(connection),
      provisionFirehose(connection),
      provisionEventBridge(connection),
      ...STREAMS.map(async ({ name, shards }) => {
        await createUnlessExists(() => kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards })), (err) => err instanceof StreamInUse);
        await waitUntil(async () => {
          const s = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
          return s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
        });
      }),
      ...TABLES.map(async (table) => {
        await createUnlessExists(() => dynamodb.send(new CreateTableCommand(table)), (err) => err instanceof ResourceInUseException);
        await waitUntil(async () => {
          const t = await dynamodb.send(new DescribeTableCommand({ TableName: table.TableName }));
          return t.Table?.TableStatus === 'ACTIVE';
        });
      }),
    ]);
  } finally {
    kinesis.destroy();
    dynamodb.destroy();
  }
}
