import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createClient, dynamoTableReady, kinesisStreamReady } from '@plant/aws';
import type { AwsConnection } from '@plant/config';
import type { StreamConsumerBackends } from '@plant/stream-consumer';
import { DynamoDbLeaseTable } from './lease-table.dynamodb';
import { KinesisShardSource } from './shard-source.kinesis';

/**
 * The AWS backends of a stream-consumer worker: the Kinesis stream it reads and the DynamoDB table
 * holding its leases and checkpoints, with their readiness probes. The clients are the worker's own
 * (closed with it), so an app stopping its sinks does not cut the consumer's last checkpoint.
 */
export function kinesisStreamConsumerBackends(
  connection: AwsConnection,
  names: { streamName: string; leaseTableName: string },
): StreamConsumerBackends {
  const kinesis = createClient(KinesisClient, connection);
  const dynamodb = createClient(DynamoDBClient, connection);
  return {
    leaseTable: new DynamoDbLeaseTable(dynamodb, names.leaseTableName),
    source: new KinesisShardSource(kinesis, names.streamName),
    healthChecks: [kinesisStreamReady(kinesis, names.streamName), dynamoTableReady(dynamodb, names.leaseTableName)],
    close: () => {
      kinesis.destroy();
      dynamodb.destroy();
    },
  };
}
