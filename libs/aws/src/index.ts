export * from './client-factory';
export * from './readiness';
