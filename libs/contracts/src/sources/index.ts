export * from './source-normaliser';
export * from './pi-historian';
export * from './ampla-iqt';
export * from './das';
export * from './citect-scada';
