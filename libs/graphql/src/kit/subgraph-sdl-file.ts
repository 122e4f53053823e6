import { resolve } from 'node:path';
import type { Logger } from '@nestjs/common';
import type { GraphQLSchema } from 'graphql';
import { writeSdlFile } from '../subgraph-sdl';

/** Where a subgraph's committed SDL lives and which command rewrites it: one convention for every subgraph. */
export interface SubgraphSdlFile {
  /** Repository-relative, for messages (`apps/kpi-subgraph/schema.graphql`). */
  path: string;
  /** Absolute. */
  file: string;
  /** `npm run sdl:<name>` */
  command: string;
}

/** This file is libs/graphql/src/kit/…: the repository root is four folders up. */
const REPOSITORY_ROOT = resolve(__dirname, '../../../..');

/** `kpi` → `apps/kpi-subgraph/schema.graphql`, rewritten by `npm run sdl:kpi` (read by `npm run compose`). */
export function subgraphSdlFile(name: string): SubgraphSdlFile {
  const path = `apps/${name}-subgraph/schema.graphql`;
  return { path, file: resolve(REPOSITORY_ROOT, path), command: `npm run sdl:${name}` };
}

/** In development the committed SDL follows the code on every start (a warning says to commit it). */
export async function syncSdlFileInDevelopment(nodeEnv: string, schema: GraphQLSchema, sdl: SubgraphSdlFile, logger: Logger): Promise<void> {
  if (nodeEnv !== 'development') return;
  if (await writeSdlFile(schema, sdl.file, sdl.command)) logger.warn(`${sdl.path} updated: commit it`);
}
