// Test support for consumers of the lib (its own tests and the apps' consumer tests), kept out of src/.
export * from './consumer-harness';
