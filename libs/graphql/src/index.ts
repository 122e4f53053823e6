export * from './api-errors';
export * from './federation';
export * from './operation-metrics.plugin';
export * from './subgraph-sdl';
export * from './request-deadline.plugin';
