import { DeadLetterDelivery } from '../dead-letter-delivery';
import { ResourceNames } from '../env-names';
import { LAKE_PREFIXES } from '../lake/lake-schema';

/**
 * A Firehose stream into the lake: where it writes, where its failures go, and how it partitions
 * (dynamic partitioning with a JQ query over each JSON record, one record per line). The CDK
 * streams (infra/src/constructs/cold-path.ts) and the local stack's CreateDeliveryStream inputs
 * (libs/local-aws/src/firehose/firehose-provision.ts) are both rendered from it.
 * https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
 */
export interface FirehoseDeliveryDescription {
  name: string;
  /** The lake prefixes the stream writes under (its role may write `<prefix>*` of both). */
  rootPrefix: string;
  errorRootPrefix: string;
  prefix: string;
  errorPrefix: string;
  /** JQ 1.6 query whose keys `!{partitionKeyFromQuery:…}` in the prefix reads. */
  partitionKeysQuery: string;
}

/** The MetadataExtraction processor's parser; the local stack implements a subset of JQ 1.6. */
export const FIREHOSE_JSON_PARSING_ENGINE = 'JQ-1.6';
/**
 * AppendDelimiterToRecord's `Delimiter`, escaped as the API takes it (a newline): one record per
 * line, which Athena, Spark and DuckDB read as JSON lines.
 */
export const FIREHOSE_RECORD_DELIMITER = '\\n';
/** How long Firehose retries delivering a partitioned buffer before it goes to the error prefix. */
export const FIREHOSE_PARTITIONING_RETRY_SECONDS = 300;

/**
 * Buffering hints: dynamic partitioning needs at least 64 MiB (and the API allows at most 128).
 * `default` is what dev and the local stack create (the local stack caps it further, to 1 MiB / 1 s
 * unless told otherwise); prod sets its own in infra/src/config/environments.ts.
 */
export const FirehoseBuffering = {
  minSizeMiB: 64,
  maxSizeMiB: 128,
  default: { sizeMiB: 64, intervalSeconds: 60 },
} as const;

/**
 * `plant-raw`: every valid PlantEvent as received, partitioned by its `source` (read from the
 * record) and the UTC date and hour it *arrived* (a source clock can be wrong; the curated
 * transform filters on event time and reads the next day's arrivals for late events).
 */
export const RawEventsDelivery: FirehoseDeliveryDescription = {
  name: ResourceNames.rawDeliveryStream,
  rootPrefix: 'raw/',
  errorRootPrefix: LAKE_PREFIXES.firehoseErrors,
  prefix: 'raw/source=!{partitionKeyFromQuery:source}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/',
  errorPrefix: `${LAKE_PREFIXES.firehoseErrors}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`,
  partitionKeysQuery: '{source: .source}',
};

/** `plant-dlq`: the stream-writer's dead letters, by the UTC date they were dead-lettered. */
export const DeadLetterDeliveryStream: FirehoseDeliveryDescription = {
  name: ResourceNames.deadLetterDeliveryStream,
  rootPrefix: DeadLetterDelivery.rootPrefix,
  errorRootPrefix: DeadLetterDelivery.errorRootPrefix,
  prefix: DeadLetterDelivery.prefix,
  errorPrefix: DeadLetterDelivery.errorPrefix,
  partitionKeysQuery: DeadLetterDelivery.metadataExtractionQuery,
};

export const FIREHOSE_DELIVERIES: readonly FirehoseDeliveryDescription[] = [RawEventsDelivery, DeadLetterDeliveryStream];

/** A record processor of a delivery, with its parameters as [name, value] pairs (each renderer spells the members its way). */
export interface FirehoseProcessor {
  type: 'MetadataExtraction' | 'AppendDelimiterToRecord';
  parameters: [name: 'MetadataExtractionQuery' | 'JsonParsingEngine' | 'Delimiter', value: string][];
}

/** The processors of a partitioned delivery: extract the partition keys, then end each record with a newline. */
export function firehoseProcessors(delivery: FirehoseDeliveryDescription): FirehoseProcessor[] {
  return [
    {
      type: 'MetadataExtraction',
      parameters: [
        ['MetadataExtractionQuery', delivery.partitionKeysQuery],
        ['JsonParsingEngine', FIREHOSE_JSON_PARSING_ENGINE],
      ],
    },
    { type: 'AppendDelimiterToRecord', parameters: [['Delimiter', FIREHOSE_RECORD_DELIMITER]] },
  ];
}
