export * from './aws-json-handler';
export * from './local-aws-stack';
export * from './provision';
export * from './start-local-aws';
export type { Delivery } from './eventbridge/event-targets';
export type { WrittenObject } from './firehose/lake-writer';
export { createDeliveryStreamInput, DEAD_LETTER_DELIVERY_STREAM, RAW_DELIVERY_STREAM } from './firehose/firehose-provision';
export { translateTimestreamSql } from './timestream/timestream-sql';
