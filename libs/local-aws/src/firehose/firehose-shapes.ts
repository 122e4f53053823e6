import { z } from 'zod';
import type { InputShapes } from '../aws-json-handler';

/** Member types of the Firehose operations we serve (null counts as absent, as in AWS JSON). */
const str = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();
const destination = z
  .object({
    BucketARN: str,
    RoleARN: str,
    Prefix: str,
    ErrorOutputPrefix: str,
    FileExtension: str,
    CompressionFormat: str,
    BufferingHints: z.object({ SizeInMBs: num, IntervalInSeconds: num }).nullish(),
    DynamicPartitioningConfiguration: z.object({ Enabled: bool }).nullish(),
    ProcessingConfiguration: z
      .object({
        Enabled: bool,
        Processors: z.array(z.object({ Type: str, Parameters: z.array(z.object({ ParameterName: str, ParameterValue: str })).nullish() })).nullish(),
      })
      .nullish(),
  })
  .nullish();
const record = z.object({ Data: str });

export const FIREHOSE_SHAPES: InputShapes = {
  CreateDeliveryStream: z.object({ DeliveryStreamName: str, DeliveryStreamType: str, ExtendedS3DestinationConfiguration: destination, S3DestinationConfiguration: destination }),
  DescribeDeliveryStream: z.object({ DeliveryStreamName: str }),
  ListDeliveryStreams: z.object({ Limit: num, DeliveryStreamType: str, ExclusiveStartDeliveryStreamName: str }),
  PutRecord: z.object({ DeliveryStreamName: str, Record: record.nullish() }),
  PutRecordBatch: z.object({ DeliveryStreamName: str, Records: z.array(record).nullish() }),
};
