export * from './concurrency';
export * from './kpi-table';
export * from './kpi-store.dynamodb';
export * from './kpi-repository.dynamodb';
export * from './change-feed.kinesis';
