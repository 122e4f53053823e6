import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArgumentNode, DirectiveNode, Kind, parse, print, visit } from 'graphql';

export class SupergraphError extends Error {
  override name = 'SupergraphError';
}

/** Reads the committed supergraph; a missing or unparsable file is a clear boot error. */
export function readSupergraph(path: string, cwd = process.cwd()): string {
  const file = resolve(cwd, path);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new SupergraphError(`Cannot read the supergraph at ${file} (run \`npm run compose\`): ${(err as Error).message}`);
  }
}

/** Graph names and URLs of a supergraph's `join__Graph` enum. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  const graphs: { name: string; url: string }[] = [];
  visit(parseSupergraph(supergraphSdl), {
    Directive(node) {
      const graph = joinGraphArgs(node);
      if (graph) graphs.push(graph);
    },
  });
  return graphs;
}

/**
 * Replaces the URL of each `@join__graph(name: ..., url: ...)` whose name has an override, so one
 * committed supergraph serves every environment. Names without an override keep their URL.
 */
export function overrideSubgraphUrls(supergraphSdl: string, overrides: Record<string, string | undefined>): string {
  const doc = visit(parseSupergraph(supergraphSdl), {
    Directive(node): DirectiveNode | undefined {
      const graph = joinGraphArgs(node);
      const url = graph && overrides[graph.name];
      if (!url) return undefined;
      const args = (node.arguments ?? []).map(
        (arg): ArgumentNode => (arg.name.value === 'url' ? { ...arg, value: { kind: Kind.STRING, value: url } } : arg),
      );
      return { ...node, arguments: args };
    },
  });
  return print(doc);
}

function parseSupergraph(sdl: string) {
  try {
    return parse(sdl, { noLocation: true });
  } catch (err) {
    throw new SupergraphError(`The supergraph does not parse: ${(err as Error).message}`);
  }
}

function joinGraphArgs(node: DirectiveNode): { name: string; url: string } | undefined {
  if (node.name.value !== 'join__graph') return undefined;
  const arg = (n: string) => {
    const value = node.arguments?.find((a) => a.name.value === n)?.value;
    return value?.kind === Kind.STRING ? value.value : undefined;
  };
  const name = arg('name');
  const url = arg('url');
  return name && url ? { name, url } : undefined;
}
