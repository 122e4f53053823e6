import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';

/** Readiness probe: the table exists and is ACTIVE. */
export function dynamoTableReady(client: DynamoDBClient, tableName: string) {
  return {
    name: `dynamodb:${tableName}`,
    async check(): Promise<void> {
      const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (out.Table?.TableStatus !== 'ACTIVE') throw new Error(`table is ${out.Table?.TableStatus}`);
    },
  };
}

/** Readiness probe: the stream exists and is ACTIVE (or being resharded, which still serves). */
export function kinesisStreamReady(client: KinesisClient, streamName: string) {
  return {
    name: `kinesis:${streamName}`,
    async check(): Promise<void> {
      const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      const status = out.StreamDescriptionSummary?.StreamStatus;
      if (status !== 'ACTIVE' && status !== 'UPDATING') throw new Error(`stream is ${status}`);
    },
  };
}
