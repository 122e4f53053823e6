export * from './arguments';
export * from './connection.model';
export * from './pagination';
export * from './subgraph-graphql-options';
export * from './subgraph-sdl-file';
export * from './entity-refs';
