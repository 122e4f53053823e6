/**
 * Work-around for an upstream packaging bug, applied before the response-cache plugin loads:
 * `@graphql-mesh/plugin-response-cache` imports `cache-control-parser` as a default import
 * (`tslib.__importDefault(require(...)).default.parse`), but cache-control-parser 2.2.0 marks its
 * CommonJS build `__esModule` without a default export. Every subgraph response that carries a
 * `Cache-Control` header (Apollo Server sends `no-store` by default) then failed with
 * "Cannot read properties of undefined (reading 'parse')". Giving the module a `default` that is
 * itself makes both import styles work; remove once the plugin or the parser is fixed upstream.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parser = require('cache-control-parser') as { default?: unknown };
if (parser.default === undefined) Object.defineProperty(parser, 'default', { value: parser, enumerable: false });
