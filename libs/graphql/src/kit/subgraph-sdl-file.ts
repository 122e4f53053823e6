import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { DynamicModule, Logger } from '@nestjs/common';
import { loadConfig } from '@plant/config';
import type { GraphQLSchema } from 'graphql';
import type { z } from 'zod';
import { runSdlScript, writeSdlFile } from '../subgraph-sdl';

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

/**
 * The whole `main` of a subgraph's `sdl.ts` (`npm run sdl:<name> [-- --check]`): loads the app's
 * config for building the schema only, then writes or checks the committed SDL. Nothing connects
 * to AWS: the root module must not start readers at init.
 */
export function runSubgraphSdlMain<S extends z.ZodType>(name: string, configSchema: S, rootModule: (config: z.infer<S>) => DynamicModule): void {
  const config = loadConfig(configSchema, {
    // Building the schema serves no request: any internal secret will do.
    INTERNAL_AUTH_SECRET: randomBytes(32).toString('hex'),
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
  });
  const sdl = subgraphSdlFile(name);
  runSdlScript(rootModule(config), sdl.file, sdl.path, sdl.command).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
