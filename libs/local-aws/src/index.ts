export * from './aws-json-handler';
export * from './local-aws-stack';
export * from './provision';
export * from './start-local-aws';
