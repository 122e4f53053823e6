import { readFile, writeFile } from 'node:fs/promises';
import { execute, GraphQLSchema, parse } from 'graphql';

const HEADER = '# Generated from the code-first schema by `npm run sdl:kpi` (apps/kpi-subgraph/src/sdl.ts). Do not edit.\n';

/**
 * The subgraph SDL exactly as a gateway reads it (`_service { sdl }`): Federation 2 `@link`,
 * `@key` and the other directives included. NestJS's own `autoSchemaFile` writer prints with
 * graphql-js `printSchema`, which drops every directive, so that file could not be composed.
 */
export async function subgraphSdlOf(schema: GraphQLSchema): Promise<string> {
  const result = await execute({ schema, document: parse('{ _service { sdl } }') });
  const sdl = (result.data as { _service?: { sdl?: string } } | null)?._service?.sdl;
  if (!sdl) throw new Error(`schema has no _service.sdl: ${JSON.stringify(result.errors)}`);
  return `${HEADER}${sdl.trim()}\n`;
}

/** Writes the SDL file when its content differs; returns whether it changed. */
export async function writeSdlFile(schema: GraphQLSchema, path: string): Promise<boolean> {
  const sdl = await subgraphSdlOf(schema);
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === sdl) return false;
  await writeFile(path, sdl);
  return true;
}
