import { CreateDeliveryStreamCommandInput, FirehoseClient, CreateDeliveryStreamCommand, ResourceInUseException } from '@aws-sdk/client-firehose';
import { createClient } from '@plant/aws';
import { AwsConnection, DeadLetterDelivery, ResourceNames } from '@plant/config';

/**
 * The raw-zone Firehose stream: every valid PlantEvent's original JSON, partitioned by its
 * `source` and the UTC date and hour of its `eventTime` (read as the first characters of the ISO
 * text, so producers send UTC `…Z` times). One JSON document per line. AWS needs at least 64 MiB
 * buffers with dynamic partitioning; the local stack caps them (1 MiB / 1 s by default).
 */
export const RAW_DELIVERY_STREAM: CreateDeliveryStreamCommandInput = {
  DeliveryStreamName: ResourceNames.rawDeliveryStream,
  DeliveryStreamType: 'DirectPut',
  ExtendedS3DestinationConfiguration: {
    BucketARN: `arn:aws:s3:::${ResourceNames.lakeBucket}`,
    RoleARN: 'arn:aws:iam::000000000000:role/plant-raw-firehose',
    Prefix: 'raw/source=!{partitionKeyFromQuery:source}/dt=!{partitionKeyFromQuery:dt}/hour=!{partitionKeyFromQuery:hour}/',
    ErrorOutputPrefix: 'raw-errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/',
    FileExtension: '.jsonl',
    BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
    CompressionFormat: 'UNCOMPRESSED',
    DynamicPartitioningConfiguration: { Enabled: true },
    ProcessingConfiguration: {
      Enabled: true,
      Processors: [
        {
          Type: 'MetadataExtraction',
          Parameters: [
            { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{source: .source, dt: .eventTime[0:10], hour: .eventTime[11:13]}' },
            { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
          ],
        },
        { Type: 'AppendDelimiterToRecord', Parameters: [] },
      ],
    },
  },
};

/**
 * The stream-writer's dead letters (docs/stream-writer-sinks.md): one JSON document per line with the
 * reason and the original bytes (base64), partitioned by the UTC date they were dead-lettered.
 */
export const DEAD_LETTER_DELIVERY_STREAM: CreateDeliveryStreamCommandInput = {
  DeliveryStreamName: ResourceNames.deadLetterDeliveryStream,
  DeliveryStreamType: 'DirectPut',
  ExtendedS3DestinationConfiguration: {
    ...RAW_DELIVERY_STREAM.ExtendedS3DestinationConfiguration!,
    RoleARN: 'arn:aws:iam::000000000000:role/plant-dlq-firehose',
    Prefix: DeadLetterDelivery.prefix,
    ErrorOutputPrefix: DeadLetterDelivery.errorPrefix,
    ProcessingConfiguration: {
      Enabled: true,
      Processors: [
        {
          Type: 'MetadataExtraction',
          Parameters: [
            { ParameterName: 'MetadataExtractionQuery', ParameterValue: DeadLetterDelivery.metadataExtractionQuery },
            { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
          ],
        },
        { Type: 'AppendDelimiterToRecord', Parameters: [] },
      ],
    },
  },
};

/** Creates the raw-zone and dead-letter streams unless they exist. */
export async function provisionFirehose(connection: AwsConnection): Promise<void> {
  const client = createClient(FirehoseClient, connection);
  try {
    for (const stream of [RAW_DELIVERY_STREAM, DEAD_LETTER_DELIVERY_STREAM]) {
      try {
        await client.send(new CreateDeliveryStreamCommand(stream));
      } catch (err) {
        if (!(err instanceof ResourceInUseException)) throw err;
      }
    }
  } finally {
    client.destroy();
  }
}
