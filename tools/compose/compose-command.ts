import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeSupergraph, CompositionError } from './compose-supergraph';
import { SubgraphSource } from './subgraphs.config';

export interface ComposeCommand {
  root: string;
  subgraphs: SubgraphSource[];
  /** Supergraph path relative to root. */
  target: string;
  /** Compare with the committed file instead of writing it. */
  check: boolean;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/** Composes the subgraphs' committed SDL into the supergraph file, or checks it is current. Returns the exit code. */
export function runCompose({ root, subgraphs, target, check, out = console.log, err = console.error }: ComposeCommand): number {
  const missing = subgraphs.filter((s) => !existsSync(resolve(root, s.sdlPath)));
  if (missing.length) {
    err(`Missing subgraph SDL: ${missing.map((s) => `${s.name} (${s.sdlPath})`).join(', ')}`);
    return 1;
  }
  let supergraph: string;
  try {
    supergraph = composeSupergraph(
      subgraphs.map((s) => ({ name: s.name, url: s.url, sdl: readFileSync(resolve(root, s.sdlPath), 'utf8') })),
    );
  } catch (e) {
    if (e instanceof CompositionError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
  const names = subgraphs.map((s) => s.name).join(', ');
  const file = resolve(root, target);
  if (check) {
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (committed === supergraph) {
      out(`${target} is up to date (${names}).`);
      return 0;
    }
    err(`${target} is stale: run \`npm run compose\` and commit the result.`);
    return 1;
  }
  writeFileSync(file, supergraph);
  out(`Wrote ${target} from ${names}.`);
  return 0;
}
