import {
  CreateTableCommand,
  CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, ResourceInUseException as StreamInUse } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import { AwsConnection, KpiTableSchema, ResourceNames } from '@plant/config';
import { provisionEventBridge } from './eventbridge/eventbridge-provision';
import { provisionFirehose } from './firehose/firehose-provision';
import { provisionTimestream } from './timestream/timestream-provision';

/** Streams the platform needs: events in, and the live change feed that subgraph replicas read. */
export const STREAMS = [
  { name: ResourceNames.plantEventsStream, shards: 4 },
  { name: ResourceNames.changeFeedStream, shards: 1 },
] as const;

const alertsByPlant = KpiTableSchema.alertsByPlantIndex;

/** Tables the platform needs; the CDK app in `infra/` declares them from the same `KpiTableSchema`. */
export const TABLES: CreateTableCommandInput[] = [
  {
    TableName: ResourceNames.kpiTable,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: KpiTableSchema.partitionKey, AttributeType: 'S' },
      { AttributeName: KpiTableSchema.sortKey, AttributeType: 'S' },
      { AttributeName: alertsByPlant.partitionKey, AttributeType: 'S' },
      { AttributeName: alertsByPlant.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: KpiTableSchema.partitionKey, KeyType: 'HASH' },
      { AttributeName: KpiTableSchema.sortKey, KeyType: 'RANGE' },
    ],
    // Alerts per plant, newest first (docs/stream-writer-sinks.md); only alert items carry gsi1 keys.
    GlobalSecondaryIndexes: [
      {
        IndexName: alertsByPlant.indexName,
        KeySchema: [
          { AttributeName: alertsByPlant.partitionKey, KeyType: 'HASH' },
          { AttributeName: alertsByPlant.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: alertsByPlant.projection },
      },
    ],
  },
  {
    TableName: ResourceNames.leaseTable,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'leaseKey', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
  },
];

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
        try {
          await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
        } catch (err) {
          if (!(err instanceof StreamInUse)) throw err;
        }
        await waitUntil(async () => {
          const s = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
          return s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
        });
      }),
      ...TABLES.map(async (table) => {
        try {
          await dynamodb.send(new CreateTableCommand(table));
        } catch (err) {
          if (!(err instanceof ResourceInUseException)) throw err;
        }
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

async function waitUntil(ready: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error('resource did not become ACTIVE in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
