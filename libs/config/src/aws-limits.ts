/**
 * The per-record and per-call limits of the AWS APIs the platform writes to, in one table: the
 * adapters check them before sending (a record over a limit is handled by a stated rule instead of
 * an exception that stops a shard), and the local stack can enforce the same numbers. Bytes are
 * UTF-8 bytes unless noted.
 */
export const AwsLimits = {
  /** https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html */
  kinesis: {
    recordMaxBytes: 1024 * 1024,
    putRecordsMaxRecords: 500,
    putRecordsMaxBytes: 5 * 1024 * 1024,
    getRecordsMaxRecords: 10_000,
  },
  /** https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html */
  firehose: {
    /** 1,000 KiB, before base64 encoding. */
    recordMaxBytes: 1000 * 1024,
    putRecordBatchMaxRecords: 500,
    putRecordBatchMaxBytes: 4 * 1024 * 1024,
  },
  /**
   * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html and
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html (entry size =
   * Time 14 bytes + Source + DetailType + Detail + each Resources entry).
   */
  eventBridge: {
    entryMaxBytes: 256 * 1024,
    entryTimeBytes: 14,
    putEventsMaxEntries: 10,
    /** All entries of one PutEvents request together. */
    putEventsMaxBytes: 256 * 1024,
  },
  /** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html */
  dynamoDb: {
    /** Attribute names and values together. */
    itemMaxBytes: 400 * 1024,
    /** Any one expression string (UpdateExpression, ConditionExpression, …). */
    expressionMaxBytes: 4 * 1024,
    batchGetMaxKeys: 100,
  },
  /**
   * https://docs.aws.amazon.com/timestream/latest/developerguide/ts-limits.html,
   * https://docs.aws.amazon.com/timestream/latest/developerguide/API_MeasureValue.html. Records
   * older than the table's memory store retention are rejected too (unless magnetic store writes
   * are enabled): that bound is the table's setting (infra `timestreamMemoryRetentionHours`).
   */
  timestream: {
    writeRecordsMaxRecords: 100,
    /** Dimensions, measure name and measure values of one record (timestamp 8 bytes, BIGINT/DOUBLE 8 bytes). */
    recordMaxBytes: 2 * 1024,
    /** All dimension name–value pairs of one series. */
    dimensionPairsMaxBytes: 2 * 1024,
    dimensionNameMaxBytes: 60,
    measureNameMaxBytes: 256,
    /** One MeasureValue's `Value` string (characters). */
    measureValueMaxLength: 2048,
    measuresPerRecordMax: 256,
    /** Records more than this ahead of the service's clock are rejected. */
    futureIngestionMs: 15 * 60_000,
  },
} as const;
