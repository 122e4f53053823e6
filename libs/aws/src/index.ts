export * from './client-factory';
export * from './readiness';
export * from './send-in-batches';
export * from './backoff';
export * from './for-each-limited';
export * from './aws-clients';
