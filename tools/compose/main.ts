import { resolve } from 'node:path';
import { runCompose } from './compose-command';
import { SUBGRAPHS, SUPERGRAPH_PATH } from './subgraphs.config';

/**
 * `npm run compose` writes the supergraph from the committed subgraph SDLs;
 * `npm run compose -- --check` exits 1 when the committed supergraph is stale (CI).
 */
process.exitCode = runCompose({
  root: resolve(__dirname, '../..'),
  subgraphs: SUBGRAPHS,
  target: SUPERGRAPH_PATH,
  check: process.argv.slice(2).includes('--check'),
});
