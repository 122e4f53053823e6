import { AwsApiError } from '../aws-json-handler';
import { compileMetadataQuery, MetadataExtractor, PartitioningError, validatePrefix } from './partitioning';

/**
 * A Firehose stream (DirectPut → extended S3 destination) as the local endpoint understands it:
 * the configuration exactly as created (echoed by DescribeDeliveryStream) and what it means for
 * delivery — prefixes, buffering, partition-key extraction, record delimiter.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_ExtendedS3DestinationConfiguration.html
 */

export const REGION = 'eu-central-1';
export const ACCOUNT = '000000000000';

interface Processor {
  Type?: string;
  Parameters?: Array<{ ParameterName?: string; ParameterValue?: string }>;
}
export interface S3DestinationInput {
  BucketARN?: string;
  RoleARN?: string;
  Prefix?: string;
  ErrorOutputPrefix?: string;
  FileExtension?: string;
  BufferingHints?: { SizeInMBs?: number; IntervalInSeconds?: number };
  CompressionFormat?: string;
  DynamicPartitioningConfiguration?: { Enabled?: boolean };
  ProcessingConfiguration?: { Enabled?: boolean; Processors?: Processor[] };
}
export interface CreateDeliveryStreamInput {
  DeliveryStreamName?: string;
  DeliveryStreamType?: string;
  ExtendedS3DestinationConfiguration?: S3DestinationInput;
  S3DestinationConfiguration?: S3DestinationInput;
}

/** What a stream is stored as (and reloaded from) in `<dataDir>/firehose/delivery-streams.json`. */
export interface StoredDeliveryStream {
  input: CreateDeliveryStreamInput;
  createdAt: number;
}

/** Local caps on buffering so objects appear within seconds (AWS defaults: 5 MiB / 300 s). */
export interface BufferingLimits {
  maxBytes: number;
  maxIntervalMs: number;
}

export interface DeliveryStream {
  name: string;
  arn: string;
  stored: StoredDeliveryStream;
  prefix: string;
  errorPrefix: string;
  fileExtension: string;
  bufferBytes: number;
  bufferIntervalMs: number;
  extractPartitionKeys?: MetadataExtractor;
  appendDelimiter: boolean;
}

const NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
const invalidArgument = (message: string) => new AwsApiError('InvalidArgumentException', message);

/** Validates a CreateDeliveryStream request and derives the delivery settings; throws AWS errors. */
export function deliveryStreamOf(stored: StoredDeliveryStream, limits: BufferingLimits): DeliveryStream {
  const { input } = stored;
  const name = input.DeliveryStreamName ?? '';
  if (!NAME.test(name)) {
    throw new AwsApiError('ValidationException', `1 validation error detected: Value '${name}' at 'deliveryStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
  }
  if ((input.DeliveryStreamType ?? 'DirectPut') !== 'DirectPut') throw invalidArgument('Only DirectPut Firehose streams are supported locally.');
  const destination = input.ExtendedS3DestinationConfiguration ?? input.S3DestinationConfiguration;
  if (!destination?.BucketARN?.startsWith('arn:aws:s3:::')) throw invalidArgument('An S3 destination with a BucketARN (arn:aws:s3:::bucket) is required.');
  if (destination.CompressionFormat && destination.CompressionFormat !== 'UNCOMPRESSED') {
    throw invalidArgument('Only UNCOMPRESSED objects are written locally.');
  }
  const sizeMb = destination.BufferingHints?.SizeInMBs ?? 5;
  const intervalS = destination.BufferingHints?.IntervalInSeconds ?? 300;
  if (sizeMb < 1 || sizeMb > 128) throw invalidArgument('BufferingHints.SizeInMBs must be between 1 and 128.');
  if (intervalS < 0 || intervalS > 900) throw invalidArgument('BufferingHints.IntervalInSeconds must be between 0 and 900.');

  const processors = destination.ProcessingConfiguration?.Enabled === false ? [] : (destination.ProcessingConfiguration?.Processors ?? []);
  const param = (type: string, key: string) =>
    processors.find((p) => p.Type === type)?.Parameters?.find((p) => p.ParameterName === key)?.ParameterValue;
  const partitioned = destination.DynamicPartitioningConfiguration?.Enabled === true;
  const query = param('MetadataExtraction', 'MetadataExtractionQuery');
  const prefix = destination.Prefix ?? '';
  const errorPrefix = destination.ErrorOutputPrefix ?? '';
  try {
    validatePrefix(prefix);
    validatePrefix(errorPrefix);
    // Records land in the error prefix precisely when their keys could not be extracted.
    if (errorPrefix.includes('!{partitionKeyFrom')) throw invalidArgument('ErrorOutputPrefix cannot contain partitionKeyFromQuery or partitionKeyFromLambda expressions.');
    for (const [member, value] of [['Prefix', prefix], ['ErrorOutputPrefix', errorPrefix], ['FileExtension', destination.FileExtension ?? '']]) {
      // The local bucket is a folder: a key that climbs out of it (S3 would keep `..` literally) is refused.
      if (value.startsWith('/') || value.split('/').includes('..')) throw invalidArgument(`${member} must not start with "/" or contain ".." segments locally.`);
    }
    if (partitioned && !errorPrefix) throw invalidArgument('ErrorOutputPrefix is required when dynamic partitioning is enabled.');
    if (!partitioned && prefix.includes('!{partitionKeyFrom')) throw invalidArgument('partitionKeyFromQuery needs DynamicPartitioningConfiguration.Enabled.');
    if (partitioned && prefix.includes('!{partitionKeyFromQuery') && !query) {
      throw invalidArgument('partitionKeyFromQuery needs a MetadataExtraction processor with a MetadataExtractionQuery.');
    }
    return {
      name,
      arn: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${name}`,
      stored,
      // Without a timestamp or partition expression Firehose appends the default UTC hour prefix.
      prefix: /!\{(timestamp|partitionKeyFrom)/.test(prefix) || partitioned ? prefix : `${prefix}!{timestamp:yyyy/MM/dd/HH}/`,
      errorPrefix: errorPrefix || `${prefix}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`,
      fileExtension: destination.FileExtension ?? '',
      bufferBytes: Math.min(sizeMb * 1024 * 1024, limits.maxBytes),
      bufferIntervalMs: Math.min(intervalS * 1000, limits.maxIntervalMs),
      extractPartitionKeys: partitioned && query ? compileMetadataQuery(query) : undefined,
      appendDelimiter: processors.some((p) => p.Type === 'AppendDelimiterToRecord'),
    };
  } catch (err) {
    if (err instanceof PartitioningError) throw invalidArgument(err.message);
    throw err;
  }
}

/** The DescribeDeliveryStream answer: status ACTIVE at once (AWS takes seconds). */
export function describeShape(stream: DeliveryStream) {
  const { input, createdAt } = stream.stored;
  const destination = input.ExtendedS3DestinationConfiguration ?? input.S3DestinationConfiguration ?? {};
  return {
    DeliveryStreamDescription: {
      DeliveryStreamName: stream.name,
      DeliveryStreamARN: stream.arn,
      DeliveryStreamStatus: 'ACTIVE',
      DeliveryStreamType: 'DirectPut',
      VersionId: '1',
      CreateTimestamp: createdAt,
      Destinations: [
        {
          DestinationId: 'destinationId-000000000001',
          ExtendedS3DestinationDescription: {
            CompressionFormat: 'UNCOMPRESSED',
            ...destination,
            BufferingHints: { SizeInMBs: destination.BufferingHints?.SizeInMBs ?? 5, IntervalInSeconds: destination.BufferingHints?.IntervalInSeconds ?? 300 },
          },
        },
      ],
      HasMoreDestinations: false,
    },
  };
}
