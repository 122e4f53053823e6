export * from './health.registry';
export * from './metrics';
export * from './observability.module';
export * from './bootstrap';
