import { readFile, writeFile } from 'node:fs/promises';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { execute, GraphQLSchema, parse } from 'graphql';

/**
 * The subgraph SDL exactly as a gateway reads it (`_service { sdl }`): Federation 2 `@link`,
 * `@key` and the other directives included. NestJS's own `autoSchemaFile` writer prints with
 * graphql-js `printSchema`, which drops every directive, so that file could not be composed.
 */
export async function subgraphSdlOf(schema: GraphQLSchema, command: string): Promise<string> {
  const result = await execute({ schema, document: parse('{ _service { sdl } }') });
  const sdl = (result.data as { _service?: { sdl?: string } } | null)?._service?.sdl;
  if (!sdl) throw new Error(`schema has no _service.sdl: ${JSON.stringify(result.errors)}`);
  return `# Generated from the code-first schema by \`${command}\`. Do not edit.\n${sdl.trim()}\n`;
}

/** Writes the SDL file when its content differs; returns whether it changed. */
export async function writeSdlFile(schema: GraphQLSchema, path: string, command: string): Promise<boolean> {
  const sdl = await subgraphSdlOf(schema, command);
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === sdl) return false;
  await writeFile(path, sdl);
  return true;
}

/** `npm run sdl:<app> [-- --check]`: rewrites the committed SDL, or exits 1 when it is stale (CI). */
export async function runSdlCommand(schema: GraphQLSchema, file: string, displayPath: string, command: string): Promise<void> {
  if (process.argv.includes('--check')) {
    const committed = await readFile(file, 'utf8').catch(() => '');
    if (committed !== (await subgraphSdlOf(schema, command))) {
      console.error(`${displayPath} is stale: run ${command} and commit it`);
      process.exitCode = 1;
    } else console.log(`${displayPath} is up to date`);
  } else {
    console.log((await writeSdlFile(schema, file, command)) ? `wrote ${displayPath}` : `${displayPath} unchanged`);
  }
}

/**
 * The `main` of `npm run sdl:<app>`: builds the app's schema in memory from its root module (which
 * must not connect to anything at init) and writes or checks the committed SDL.
 */
export async function runSdlScript(rootModule: DynamicModule, file: string, displayPath: string, command: string): Promise<void> {
  const app = await NestFactory.create(rootModule, { logger: false, abortOnError: false });
  try {
    await app.init();
    await runSdlCommand(app.get(GraphQLSchemaHost).schema, file, displayPath, command);
  } finally {
    await app.close();
  }
}
