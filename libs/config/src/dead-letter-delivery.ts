/**
 * Where Firehose `plant-dlq` writes the stream-writer's dead letters in the lake: one partition
 * per UTC date the record was dead-lettered (`deadLetteredAt` of the JSON line), read by dynamic
 * partitioning. Shared by the local stack and the CDK app.
 * https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
 */
export const DeadLetterDelivery = {
  /** The lake prefix every dead letter lives under (alarms and lifecycle rules use it). */
  rootPrefix: 'dlq/',
  prefix: 'dlq/dt=!{partitionKeyFromQuery:dt}/',
  errorRootPrefix: 'dlq-errors/',
  errorPrefix: 'dlq-errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
  metadataExtractionQuery: '{dt: .deadLetteredAt[0:10]}',
} as const;
