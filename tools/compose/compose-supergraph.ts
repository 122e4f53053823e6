import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`Supergraph composition failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

const HEADER = '# Composed by `npm run compose` from the subgraphs in tools/compose/subgraphs.config.ts. Do not edit.\n';

/**
 * Composes Federation 2 subgraph SDLs into a supergraph with @theguild/federation-composition.
 * The output is deterministic for the same inputs, so `--check` can compare it byte for byte.
 */
export function composeSupergraph(subgraphs: SubgraphSdl[]): string {
  if (subgraphs.length === 0) throw new CompositionError(['no subgraphs to compose']);
  const problems: string[] = [];
  const services = subgraphs.flatMap((s) => {
    try {
      return [{ name: s.name, url: s.url, typeDefs: parse(s.sdl) }];
    } catch (err) {
      problems.push(`${s.name}: SDL does not parse: ${(err as Error).message}`);
      return [];
    }
  });
  if (problems.length) throw new CompositionError(problems);
  const result = composeServices(services);
  if (result.errors) {
    throw new CompositionError(result.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`));
  }
  return HEADER + result.supergraphSdl.trimEnd() + '\n';
}
