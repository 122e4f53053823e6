/**
 * One description per AWS resource of the platform, read by the CDK app (`infra/`) and by the
 * local stack's provisioning (`libs/local-aws`), so a setting changed here changes both. The lake
 * tables are in ../lake/lake-schema.ts and the feature groups in ../ml/feature-groups.ts.
 */
export * from './kinesis-streams';
export * from './dynamodb-tables';
export * from './firehose-deliveries';
export * from './trend-stores';
export * from './event-buses';
