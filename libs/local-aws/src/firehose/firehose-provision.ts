import { CreateDeliveryStreamCommand, CreateDeliveryStreamCommandInput, FirehoseClient, ResourceInUseException } from '@aws-sdk/client-firehose';
import { createClient } from '@plant/aws';
import {
  AwsConnection,
  DeadLetterDeliveryStream,
  FIREHOSE_DELIVERIES,
  FirehoseBuffering,
  FirehoseDeliveryDescription,
  firehoseProcessors,
  RawEventsDelivery,
  ResourceNames,
} from '@plant/config';
import { createUnlessExists } from '../provision-steps';
import { ACCOUNT } from './delivery-stream';

/**
 * The CreateDeliveryStream input of a lake delivery (`FIREHOSE_DELIVERIES` in @plant/config, which
 * the CDK app renders too). Local only: objects are uncompressed `.jsonl` (the local endpoint writes
 * no GZIP, and tests read the files as text) and the role is a placeholder (nothing checks it).
 */
export function createDeliveryStreamInput(delivery: FirehoseDeliveryDescription): CreateDeliveryStreamCommandInput {
  return {
    DeliveryStreamName: delivery.name,
    DeliveryStreamType: 'DirectPut',
    ExtendedS3DestinationConfiguration: {
      BucketARN: `arn:aws:s3:::${ResourceNames.lakeBucket}`,
      RoleARN: `arn:aws:iam::${ACCOUNT}:role/${delivery.name}-firehose`,
      Prefix: delivery.prefix,
      ErrorOutputPrefix: delivery.errorPrefix,
      FileExtension: '.jsonl',
      BufferingHints: { SizeInMBs: FirehoseBuffering.default.sizeMiB, IntervalInSeconds: FirehoseBuffering.default.intervalSeconds },
      CompressionFormat: 'UNCOMPRESSED',
      DynamicPartitioningConfiguration: { Enabled: true },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: firehoseProcessors(delivery).map(({ type, parameters }) => ({
          Type: type,
          Parameters: parameters.map(([name, value]) => ({ ParameterName: name, ParameterValue: value })),
        })),
      },
    },
  };
}

/** `plant-raw`: every valid PlantEvent, by source and arrival date and hour (RawEventsDelivery). */
export const RAW_DELIVERY_STREAM = createDeliveryStreamInput(RawEventsDelivery);
/** `plant-dlq`: the stream-writer's dead letters, by the date they were dead-lettered (DeadLetterDeliveryStream). */
export const DEAD_LETTER_DELIVERY_STREAM = createDeliveryStreamInput(DeadLetterDeliveryStream);

/** Creates the raw-zone and dead-letter streams unless they exist. */
export async function provisionFirehose(connection: AwsConnection): Promise<void> {
  const client = createClient(FirehoseClient, connection);
  try {
    for (const delivery of FIREHOSE_DELIVERIES) {
      await createUnlessExists(() => client.send(new CreateDeliveryStreamCommand(createDeliveryStreamInput(delivery))), (err) => err instanceof ResourceInUseException);
    }
  } finally {
    client.destroy();
  }
}
