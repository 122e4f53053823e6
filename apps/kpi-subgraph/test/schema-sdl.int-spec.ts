import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { KpiSubgraphModule } from '../src/app.module';
import { subgraphSdlOf } from '@plant/graphql';
import { SDL_COMMAND, SDL_FILE } from '../src/graphql/graphql-options';
import { configFor } from './support/kpi-subgraph.harness';

let sdl: string;

beforeAll(async () => {
  // Schema-only build: nothing is read from AWS, so no stack is needed.
  const app = await NestFactory.create(KpiSubgraphModule.forRoot(configFor('http://127.0.0.1:9'), { schemaOnly: true }), { logger: false });
  await app.init();
  sdl = await subgraphSdlOf(app.get(GraphQLSchemaHost).schema, SDL_COMMAND);
  await app.close();
});

it('matches the committed SDL (run `npm run sdl:kpi` and commit when this fails)', () => {
  expect(readFileSync(SDL_FILE, 'utf8')).toBe(sdl);
});

it('composes with a subgraph that extends Asset, as history and ml do', () => {
  const extending = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
    type Asset @key(fields: "id") { id: ID! failureRisk: Float }
    type Query { modelVersion: String }
  `);
  const result = composeServices([
    { name: 'kpi', typeDefs: parse(sdl), url: 'http://kpi/graphql' },
    { name: 'ml', typeDefs: extending, url: 'http://ml/graphql' },
  ]);
  expect(result.errors ?? []).toEqual([]);
  expect(result.supergraphSdl).toMatch(/failureRisk/);
});
