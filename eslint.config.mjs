// Type-aware lint: floating promises and non-exhaustive switches are errors (STYLE.md §11).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const LIBS_BY_ALIAS = { group: ['../../libs/*', '../../../libs/*'], message: 'Import libs through their @plant/* alias.' };
const NO_APP_TO_APP = {
  regex: '^(\\.\\./)+(apps/)?(gateway|kpi-subgraph|history-subgraph|ml-subgraph|stream-writer)/',
  message: 'Apps never import one another: move what they share to libs/.',
};
const NO_AWS_SDK_IN_APPS = {
  group: ['@aws-sdk/*', '@smithy/*'],
  message: 'Apps import no AWS SDK: use AwsClients and the readiness probes of @plant/aws, and the adapters of @plant/adapters.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '**/cdk.out/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../libs/*', '../../../libs/*'], message: 'Import libs through their @plant/* alias.' }] },
      ],
    },
  },
  {
    // Apps never import one another (each deploys on its own); what two apps share lives in libs/.
    files: ['apps/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [LIBS_BY_ALIAS, NO_APP_TO_APP] }] },
  },
  {
    // Apps talk to AWS only through libs: clients and probes from @plant/aws, adapters from
    // @plant/adapters. Tests under apps/*/test arrange the local stack with the real SDK clients.
    files: ['apps/*/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [LIBS_BY_ALIAS, NO_APP_TO_APP, NO_AWS_SDK_IN_APPS] }] },
  },
  {
    // Domain code stays free of the AWS SDK (hexagonal: ports in libs/domain, adapters elsewhere).
    files: ['libs/domain/**/*.ts', 'libs/contracts/**/*.ts', 'libs/stream-consumer/src/**/*.ts'],
    ignores: ['**/*.dynamodb.ts', '**/*.kinesis.ts', '**/*.timestream.ts', '**/*.eventbridge.ts', '**/*.firehose.ts', '**/*.athena.ts', '**/*.sagemaker.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@aws-sdk/*'], message: 'Domain code imports no AWS SDK: use a port.' }] }] },
  },
  {
    // CDK constructs take what they use as typed props; the stacks compose them, never the other way round.
    files: ['infra/src/constructs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../libs/*', '../../../libs/*'], message: 'Import libs through their @plant/* alias.' },
            { group: ['../stacks/*', '**/stacks/*'], message: 'Constructs take props (resources, keys, config), not the stacks that compose them.' },
          ],
        },
      ],
    },
  },
);
