import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildASTSchema, GraphQLObjectType, parse } from 'graphql';
import { transformSupergraphToPublicSchema } from '@theguild/federation-composition';
import { runCompose } from '../compose-command';
import { SUBGRAPHS, SUPERGRAPH_PATH } from '../subgraphs.config';

const root = resolve(__dirname, '../../..');

describe('the committed supergraph (real subgraph SDL)', () => {
  const supergraph = readFileSync(resolve(root, SUPERGRAPH_PATH), 'utf8');
  const publicSchema = buildASTSchema(transformSupergraphToPublicSchema(parse(supergraph)));

  it('is current with the committed subgraph SDL (what CI checks with `npm run compose -- --check`)', () => {
    expect(runCompose({ root, subgraphs: SUBGRAPHS, target: SUPERGRAPH_PATH, check: true, out: () => undefined, err: () => undefined })).toBe(0);
  });

  it('has Plant, Line and Asset as entities keyed by id', () => {
    for (const type of ['Plant', 'Line', 'Asset']) {
      expect(supergraph).toMatch(new RegExp(`type ${type} [^{]*@join__type\\(graph: KPI, key: "id"\\)`));
      expect(publicSchema.getType(type)).toBeInstanceOf(GraphQLObjectType);
    }
  });

  it('exposes the KPI subscriptions kpiUpdated and alertRaised', () => {
    const fields = publicSchema.getSubscriptionType()?.getFields() ?? {};
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['kpiUpdated', 'alertRaised']));
  });

  it('lets the history subgraph add fields to Asset', () => {
    expect(supergraph).toMatch(/type Asset [^{]*@join__type\(graph: HISTORY, key: "id"\)/);
  });
});
