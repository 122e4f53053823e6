import fc from 'fast-check';
import { ResourceNames } from '@plant/config';

/**
 * Random API requests for the local endpoints' fuzz test: each member is sometimes valid (names of
 * the provisioned resources, well-formed values), sometimes a boundary (year 1 / 9999 times, 64-bit
 * edges, 1 MiB strings, every kind of Unicode) and sometimes of the wrong JSON type altogether.
 */

/** Raw requests straight to the router: any operation name of each service, any body. */
const targets = [
  'Timestream_20181101.WriteRecords', 'Timestream_20181101.Query', 'Timestream_20181101.CreateTable', 'Timestream_20181101.Nope',
  'Firehose_20150804.PutRecordBatch', 'Firehose_20150804.CreateDeliveryStream', 'AWSEvents.PutEvents', 'AWSEvents.PutRule',
  'Kinesis_20131202.PutRecords', 'Kinesis_20131202.GetRecords', 'DynamoDB_20120810.PutItem', 'DynamoDB_20120810.Query', 'Nope.Op', '',
];
export const rawRequests = fc.record({
  target: fc.constantFrom(...targets),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
    fc.constantFrom('', 'null', '[]', '"x"', '{', '{"Records":"x"}', '{"Entries":{}}', '{"DatabaseName":1}').map((t) => Buffer.from(t)),
  ),
});

export interface FuzzRequest {
  op: string;
  input: Record<string, unknown>;
}

/** Any JSON-ish value of the wrong type: what a buggy or hostile client sends. */
const junk = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 8 }), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
/** `arb` most of the time, else missing or junk. */
const or = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: junk });

const unicode = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', '😀', '__proto__', 'constructor', 'toString', '../../etc', '%s%n', "'; DROP TABLE x; --"),
);
const longText = fc.constantFrom(1_025, 2_049, 70_000).map((n) => 'x'.repeat(n));
const text = fc.oneof({ weight: 5, arbitrary: unicode }, { weight: 1, arbitrary: longText });
const name = (...valid: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: text }, { weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_.-]{2,20}$/) });

/** Epoch milliseconds from year 1 to 9999, now, and the 64-bit edges, as Timestream's `Time` string. */
const YEAR_1 = Date.parse('0001-01-01T00:00:00Z');
const timeMs = fc.oneof(
  fc.constant(Date.now()),
  fc.integer({ min: Date.now() - 86_400_000, max: Date.now() + 3_600_000 }),
  fc.integer({ min: YEAR_1, max: Date.UTC(9999, 11, 31) }),
  fc.constantFrom(Date.UTC(2999, 5, 1), Date.UTC(9999, 11, 31, 23, 59, 59), YEAR_1, 0, -1),
);
const timeText = fc.oneof(
  timeMs.map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('9223372036854775807', '-9223372036854775808', '1e3', '12.5', 'now', ''),
);

const scalarType = fc.constantFrom('DOUBLE', 'BIGINT', 'VARCHAR', 'BOOLEAN', 'TIMESTAMP', 'MULTI', 'INT', '');
const measureValue = fc.oneof(
  fc.double().map(String),
  fc.bigInt({ min: -(2n ** 66n), max: 2n ** 66n }).map(String),
  fc.constantFrom('true', 'false', 'NaN', 'Infinity', '1e400', '-0', '9223372036854775807', '9223372036854775808'),
  text,
);
const dimension = fc.record({ Name: or(name('asset', 'plant', 'time', 'measure_name')), Value: or(text), DimensionValueType: or(fc.constantFrom('VARCHAR', 'BIGINT')) }, { requiredKeys: [] });
const timestreamRecord = fc.record(
  {
    Dimensions: or(fc.array(dimension, { maxLength: 4 })),
    MeasureName: or(name('telemetry', 'value')),
    MeasureValue: or(measureValue),
    MeasureValueType: or(scalarType),
    MeasureValues: or(fc.array(fc.record({ Name: or(name('value', 'quality', 'time')), Value: or(measureValue), Type: or(scalarType) }), { maxLength: 4 })),
    Time: or(timeText),
    TimeUnit: or(fc.constantFrom('MILLISECONDS', 'SECONDS', 'MICROSECONDS', 'NANOSECONDS', 'HOURS', 'constructor')),
    Version: or(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, 1e19, 1.5, Date.now()))),
  },
  { requiredKeys: [] },
);

const db = name(ResourceNames.timestreamDatabase);
const table = name(ResourceNames.timestreamTable);
const sql = fc.oneof(
  fc.constantFrom(
    `SELECT * FROM "plant"."telemetry" LIMIT 5`,
    `SELECT bin(time, 1m) AS t, count(*) FROM "plant"."telemetry" WHERE time > ago(15m) GROUP BY 1`,
    `SELECT from_milliseconds(253402300799000)`,
    `SELECT 1; SELECT 2`,
    `DROP SCHEMA plant CASCADE`,
    `SELECT * FROM read_csv('/etc/passwd')`,
    `SELECT approx_percentile(x, 2) FROM (SELECT 1 AS x)`,
    `SELECT CAST('9999999999999999999999' AS BIGINT)`,
    `SELECT ago(99999999999d)`,
  ),
  text,
);

export const timestreamRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.record({ op: fc.constant('WriteRecords'), input: fc.record({ DatabaseName: or(db), TableName: or(table), CommonAttributes: or(timestreamRecord), Records: or(fc.array(or(timestreamRecord), { maxLength: 6 })) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constant('CreateTable'), input: fc.record({ DatabaseName: or(db), TableName: or(table), RetentionProperties: or(fc.record({ MemoryStoreRetentionPeriodInHours: or(fc.integer({ min: -1, max: 9000 })), MagneticStoreRetentionPeriodInDays: or(fc.integer({ min: -1, max: 80_000 })) })), MagneticStoreWriteProperties: or(fc.record({ EnableMagneticStoreWrites: or(fc.boolean()) })) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constantFrom('CreateDatabase', 'DescribeDatabase'), input: fc.record({ DatabaseName: or(db) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constantFrom('DescribeTable', 'ListTables'), input: fc.record({ DatabaseName: or(db), TableName: or(table) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constant('Query'), input: fc.record({ QueryString: or(sql), NextToken: or(text), MaxRows: or(fc.integer({ min: -1, max: 2000 })) }, { requiredKeys: [] }) }),
);

const blob = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.json().map((j) => Buffer.from(j)),
  fc.record({ source: or(unicode), eventTime: or(fc.oneof(timeMs.map((t) => new Date(t).toISOString()), unicode)), eventId: or(unicode) }).map((o) => Buffer.from(JSON.stringify(o))),
  fc.constantFrom(1_024_000, 1_024_001).map((n) => Buffer.alloc(n, 0x61)),
);
const firehoseRecord = fc.oneof({ weight: 8, arbitrary: fc.record({ Data: blob }) }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.record({ Data: junk }) });
/** A pool of names: a stream created by one request is written by later ones. */
const fuzzStream = fc.integer({ min: 0, max: 39 }).map((i) => `fuzz-${i}`);
const streamName = fc.oneof(name(ResourceNames.rawDeliveryStream, ResourceNames.deadLetterDeliveryStream), fuzzStream);
const prefix = fc.oneof(
  fc.constantFrom('raw/', 'x/!{timestamp:yyyy}/', 'k=!{partitionKeyFromQuery:k}/', '!{firehose:error-output-type}/', '!{firehose:nope}/', '!{other:x}/', '../../', '/abs/'),
  unicode,
);
const destination = fc.record(
  {
    BucketARN: or(fc.constantFrom('arn:aws:s3:::plant-lake', 'arn:aws:s3:::', 'bucket')),
    RoleARN: or(fc.constant('arn:aws:iam::000000000000:role/r')),
    Prefix: or(prefix),
    ErrorOutputPrefix: or(prefix),
    FileExtension: or(fc.constantFrom('.jsonl', '', '/../x')),
    BufferingHints: or(fc.record({ SizeInMBs: or(fc.integer({ min: -1, max: 200 })), IntervalInSeconds: or(fc.integer({ min: -1, max: 1000 })) })),
    CompressionFormat: or(fc.constantFrom('UNCOMPRESSED', 'GZIP')),
    DynamicPartitioningConfiguration: or(fc.record({ Enabled: or(fc.boolean()) })),
    ProcessingConfiguration: or(
      fc.record({
        Enabled: or(fc.boolean()),
        Processors: or(
          fc.array(
            fc.record({
              Type: or(fc.constantFrom('MetadataExtraction', 'AppendDelimiterToRecord', 'Lambda')),
              Parameters: or(fc.array(fc.record({ ParameterName: or(fc.constantFrom('MetadataExtractionQuery', 'JsonParsingEngine')), ParameterValue: or(fc.oneof(fc.constantFrom('{k: .source}', '{k: .a.b[0:3] | ascii_downcase}', '{k: .t | fromdateiso8601 | strftime("%H")}', '{', '{k: .x | env}'), unicode)) }), { maxLength: 2 })),
            }),
            { maxLength: 2 },
          ),
        ),
      }),
    ),
  },
  { requiredKeys: [] },
);

/** A partitioned destination that is valid but for one member, so creation often succeeds and puts reach it. */
const partitionedDestination = fc.record({ Prefix: prefix, ErrorOutputPrefix: prefix, FileExtension: fc.constantFrom('.jsonl', '/../x') }).map((m) => ({
  BucketARN: 'arn:aws:s3:::plant-lake',
  RoleARN: 'arn:aws:iam::000000000000:role/r',
  DynamicPartitioningConfiguration: { Enabled: true },
  ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{k: .source}' }] }] },
  ...m,
}));

export const firehoseRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('PutRecordBatch'), input: fc.record({ DeliveryStreamName: fuzzStream, Records: fc.array(fc.record({ Data: blob }), { minLength: 1, maxLength: 4 }) }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('CreateDeliveryStream'), input: fc.record({ DeliveryStreamName: fuzzStream, ExtendedS3DestinationConfiguration: partitionedDestination }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('PutRecordBatch'), input: fc.record({ DeliveryStreamName: or(streamName), Records: or(fc.array(firehoseRecord, { maxLength: 8 })) }, { requiredKeys: [] }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('PutRecord'), input: fc.record({ DeliveryStreamName: or(streamName), Record: or(firehoseRecord) }, { requiredKeys: [] }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('CreateDeliveryStream'), input: fc.record({ DeliveryStreamName: or(fuzzStream), DeliveryStreamType: or(fc.constantFrom('DirectPut', 'KinesisStreamAsSource')), ExtendedS3DestinationConfiguration: or(destination) }, { requiredKeys: [] }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('DescribeDeliveryStream', 'ListDeliveryStreams'), input: fc.record({ DeliveryStreamName: or(streamName) }, { requiredKeys: [] }) }) },
);

const busName = name(ResourceNames.alertBus, 'default', 'arn:aws:events:eu-central-1:000000000000:event-bus/plant-alerts');
const ruleName = name('fuzz-rule', 'constructor', '__proto__');
const pattern = fc.oneof(
  fc.constantFrom('{"source":["plant"]}', '{"detail":{"severity":[{"numeric":[">",2]}]}}', '{"a":[{"prefix":"x"}]}', '{"$or":[{"a":[1]},{"b":[2]}]}', '{"a":[{"anything-but":{"prefix":1}}]}', '{}', '[]', '{"a":[{"numeric":[">"]}]}', '{"a":[{"exists":"yes"}]}', '{"a":[{"wildcard":5}]}'),
  fc.json(),
  unicode,
);
const target = fc.record(
  {
    Id: or(name('t1', 't2')),
    Arn: or(fc.constantFrom('arn:aws:kinesis:eu-central-1:000000000000:stream/plant-changes', 'arn:aws:logs:eu-central-1:000000000000:log-group:fuzz', 'arn:aws:sqs:eu-central-1:000000000000:q', 'arn:aws:kinesis:eu-central-1:000000000000:stream/missing')),
    Input: or(fc.json()),
    InputPath: or(fc.constantFrom('$', '$.detail', '$.detail.a.b', 'detail')),
    KinesisParameters: or(fc.record({ PartitionKeyPath: or(fc.constantFrom('$.id', '$.nope', '')) })),
  },
  { requiredKeys: [] },
);
const eventEntry = fc.record(
  {
    Source: or(fc.oneof(fc.constant('plant.stream-writer'), unicode)),
    DetailType: or(fc.oneof(fc.constant('alert-raised'), unicode)),
    Detail: or(fc.oneof(fc.json(), unicode, longText)),
    EventBusName: or(busName),
    Time: or(fc.oneof(timeMs.map((t) => new Date(t)), fc.constant(new Date(8.64e15)))),
    Resources: or(fc.array(unicode, { maxLength: 2 })),
  },
  { requiredKeys: [] },
);

export const eventBridgeRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('PutEvents'), input: fc.record({ Entries: or(fc.array(or(eventEntry), { maxLength: 11 })) }, { requiredKeys: [] }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('PutRule'), input: fc.record({ Name: or(ruleName), EventBusName: or(busName), EventPattern: or(pattern), ScheduleExpression: or(fc.constantFrom('rate(1 minute)')), State: or(fc.constantFrom('ENABLED', 'DISABLED', 'x')) }, { requiredKeys: [] }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('PutTargets'), input: fc.record({ Rule: or(ruleName), EventBusName: or(busName), Targets: or(fc.array(or(target), { maxLength: 6 })) }, { requiredKeys: [] }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('RemoveTargets'), input: fc.record({ Rule: or(ruleName), EventBusName: or(busName), Ids: or(fc.array(or(name('t1', 't2')), { maxLength: 3 })) }, { requiredKeys: [] }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('DescribeRule', 'DeleteRule', 'ListTargetsByRule'), input: fc.record({ Name: or(ruleName), Rule: or(ruleName), EventBusName: or(busName) }, { requiredKeys: [] }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('ListRules'), input: fc.record({ EventBusName: or(busName), NamePrefix: or(unicode), Limit: or(fc.integer({ min: -1, max: 200 })), NextToken: or(unicode) }, { requiredKeys: [] }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('CreateEventBus', 'DescribeEventBus'), input: fc.record({ Name: or(busName) }, { requiredKeys: [] }) }) },
);

const kinesisStream = name(ResourceNames.plantEventsStream, ResourceNames.changeFeedStream);
export const kinesisRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.record({ op: fc.constant('PutRecords'), input: fc.record({ StreamName: or(kinesisStream), Records: or(fc.array(fc.record({ Data: or(blob), PartitionKey: or(text), ExplicitHashKey: or(fc.constantFrom('0', '340282366920938463463374607431768211456', 'x')) }, { requiredKeys: [] }), { maxLength: 5 })) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constant('PutRecord'), input: fc.record({ StreamName: or(kinesisStream), Data: or(blob), PartitionKey: or(text) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constant('GetShardIterator'), input: fc.record({ StreamName: or(kinesisStream), ShardId: or(fc.constantFrom('shardId-000000000000', 'shardId-999', '')), ShardIteratorType: or(fc.constantFrom('TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AT_TIMESTAMP')), StartingSequenceNumber: or(fc.constantFrom('0', '49590338271490256608559692538361571095921575989136588898', 'x')), Timestamp: or(timeMs.map((t) => new Date(t))) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constant('GetRecords'), input: fc.record({ ShardIterator: or(fc.oneof(unicode, fc.base64String({ maxLength: 300 }))), Limit: or(fc.integer({ min: -1, max: 20_000 })) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constantFrom('DescribeStream', 'DescribeStreamSummary', 'ListShards'), input: fc.record({ StreamName: or(kinesisStream), Limit: or(fc.integer({ min: -1, max: 20_000 })) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constant('CreateStream'), input: fc.record({ StreamName: or(name('fuzz-stream')), ShardCount: or(fc.integer({ min: -1, max: 100 })) }, { requiredKeys: [] }) }),
);

const attributeValue = fc.oneof(fc.record({ S: or(text) }), fc.record({ N: or(fc.oneof(fc.double().map(String), fc.constantFrom('1e126', '1e-131', 'x', ''))) }), fc.record({ B: or(blob) }), fc.record({ BOOL: or(fc.boolean()) }), fc.record({ NULL: or(fc.boolean()) }), fc.record({ SS: or(fc.array(text, { maxLength: 3 })) }), junk);
const key = fc.record({ pk: or(attributeValue), sk: or(attributeValue) }, { requiredKeys: [] });
const kpiTable = name(ResourceNames.kpiTable, ResourceNames.leaseTable);
const validKey = fc.record({ pk: fc.record({ S: unicode.filter((t) => t.length > 0 && !t.includes('\uD800')) }), sk: fc.record({ S: fc.constantFrom('STATUS', 'W#15m#1') }) });
export const dynamoDbRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.record({ op: fc.constantFrom('GetItem', 'PutItem'), input: validKey.map((k) => ({ TableName: ResourceNames.kpiTable, Key: k, Item: k })) }),
  fc.record({ op: fc.constant('PutItem'), input: fc.record({ TableName: or(kpiTable), Item: or(fc.dictionary(fc.oneof(fc.constantFrom('pk', 'sk'), unicode), attributeValue, { maxKeys: 4 })), ConditionExpression: or(fc.constantFrom('attribute_not_exists(pk)', 'a = :v', 'size(', '')) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constant('GetItem'), input: fc.record({ TableName: or(kpiTable), Key: or(key), ProjectionExpression: or(fc.constantFrom('pk', '#x', 'a.b[1]', '')) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constant('UpdateItem'), input: fc.record({ TableName: or(kpiTable), Key: or(key), UpdateExpression: or(fc.constantFrom('SET a = :v', 'ADD n :v', 'SET a = a + :v', 'REMOVE', 'SET #k = :v')), ExpressionAttributeValues: or(fc.dictionary(fc.constantFrom(':v', ':w'), attributeValue, { maxKeys: 2 })), ExpressionAttributeNames: or(fc.dictionary(fc.constantFrom('#k'), text, { maxKeys: 1 })) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constant('Query'), input: fc.record({ TableName: or(kpiTable), IndexName: or(fc.constantFrom('gsi1', 'nope')), KeyConditionExpression: or(fc.constantFrom('pk = :v', 'pk = :v AND begins_with(sk, :w)', 'sk > :v', '')), ExpressionAttributeValues: or(fc.dictionary(fc.constantFrom(':v', ':w'), attributeValue, { maxKeys: 2 })), Limit: or(fc.integer({ min: -1, max: 5 })) }, { requiredKeys: [] }) }),
  fc.record({ op: fc.constant('BatchGetItem'), input: fc.record({ RequestItems: or(fc.dictionary(kpiTable, fc.record({ Keys: or(fc.array(key, { maxLength: 3 })) }), { maxKeys: 2 })) }, { requiredKeys: [] }) }),
);
