import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeSupergraph, CompositionError } from './compose-supergraph';
import { SUBGRAPHS, SUPERGRAPH_PATH } from './subgraphs.config';

/**
 * `npm run compose` writes the supergraph from the committed subgraph SDLs;
 * `npm run compose -- --check` exits 1 when the committed supergraph differs (CI).
 */
function main(argv: string[]): number {
  const check = argv.includes('--check');
  const root = resolve(__dirname, '../..');
  const missing = SUBGRAPHS.filter((s) => !existsSync(resolve(root, s.sdlPath)));
  if (missing.length) {
    console.error(`Missing subgraph SDL: ${missing.map((s) => `${s.name} (${s.sdlPath})`).join(', ')}`);
    return 1;
  }
  let supergraph: string;
  try {
    supergraph = composeSupergraph(
      SUBGRAPHS.map((s) => ({ name: s.name, url: s.url, sdl: readFileSync(resolve(root, s.sdlPath), 'utf8') })),
    );
  } catch (err) {
    if (err instanceof CompositionError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const target = resolve(root, SUPERGRAPH_PATH);
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (check) {
    if (committed === supergraph) {
      console.log(`${SUPERGRAPH_PATH} is up to date (${SUBGRAPHS.map((s) => s.name).join(', ')}).`);
      return 0;
    }
    console.error(`${SUPERGRAPH_PATH} is stale: run \`npm run compose\` and commit the result.`);
    return 1;
  }
  writeFileSync(target, supergraph);
  console.log(`Wrote ${SUPERGRAPH_PATH} from ${SUBGRAPHS.map((s) => s.name).join(', ')}.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
