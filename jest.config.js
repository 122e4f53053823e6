/** One jest run for the whole monorepo: unit tests (*.spec.ts) and integration tests (*.int-spec.ts)
 * that start the local AWS stack in-process on free ports. @swc/jest keeps decorator metadata,
 * which NestJS dependency injection needs. */
const { pathsToModuleNameMapper } = require('./tools/jest/paths');

module.exports = {
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/tools/jest/setup-env.js'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/infra', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdk.out/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: pathsToModuleNameMapper(require('./tsconfig.json').compilerOptions.paths),
  testTimeout: 60000,
  maxWorkers: 2,
};
