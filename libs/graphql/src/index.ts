export * from './api-errors';
export * from './federation';
export * from './operation-metrics.plugin';
export * from './subgraph-sdl';
export * from './subgraph-auth';
export * from './auth-directives';
export * from './request-deadline.plugin';
export * from './kit';
