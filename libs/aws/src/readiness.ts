import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { DescribeTableCommand as DescribeTimestreamTableCommand, TimestreamWriteClient } from '@aws-sdk/client-timestream-write';

/**
 * One readiness probe per AWS service, used by every app's `/health` (apps only compose them):
 * each names the resource (`<service>:<name>`) and throws when it does not serve.
 */
export interface ReadinessProbe {
  name: string;
  check(): Promise<void>;
}

/** The table exists and is ACTIVE. */
export function dynamoTableReady(client: DynamoDBClient, tableName: string): ReadinessProbe {
  return {
    name: `dynamodb:${tableName}`,
    async check(): Promise<void> {
      const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (out.Table?.TableStatus !== 'ACTIVE') throw new Error(`table is ${out.Table?.TableStatus}`);
    },
  };
}

/** The stream exists and is ACTIVE (or being resharded, which still serves). */
export function kinesisStreamReady(client: KinesisClient, streamName: string): ReadinessProbe {
  return {
    name: `kinesis:${streamName}`,
    async check(): Promise<void> {
      const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      const status = out.StreamDescriptionSummary?.StreamStatus;
      if (status !== 'ACTIVE' && status !== 'UPDATING') throw new Error(`stream is ${status}`);
    },
  };
}

/** The Timestream table exists and is ACTIVE. */
export function timestreamTableReady(client: TimestreamWriteClient, databaseName: string, tableName: string): ReadinessProbe {
  return {
    name: `timestream:${databaseName}.${tableName}`,
    async check(): Promise<void> {
      const out = await client.send(new DescribeTimestreamTableCommand({ DatabaseName: databaseName, TableName: tableName }));
      if (out.Table?.TableStatus !== 'ACTIVE') throw new Error(`table is ${out.Table?.TableStatus}`);
    },
  };
}

/** The event bus exists. */
export function eventBusReady(client: EventBridgeClient, busName: string): ReadinessProbe {
  return {
    name: `eventbridge:${busName}`,
    async check(): Promise<void> {
      await client.send(new DescribeEventBusCommand({ Name: busName }));
    },
  };
}

/** The delivery stream exists (and is not being deleted). */
export function deliveryStreamReady(client: FirehoseClient, deliveryStreamName: string): ReadinessProbe {
  return {
    name: `firehose:${deliveryStreamName}`,
    async check(): Promise<void> {
      const out = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: deliveryStreamName }));
      const status = out.DeliveryStreamDescription?.DeliveryStreamStatus;
      if (status === 'DELETING' || status === 'DELETING_FAILED') throw new Error(`delivery stream is ${status}`);
    },
  };
}
