export * from './env-names';
export * from './load-config';
export * from './aws-config.schema';
export * from './config.module';
export * from './kpi-table-schema';
export * from './dead-letter-delivery';
export * from './api-limits';
