import { buildSchema, parse } from 'graphql';
import { CACHE_TYPENAME_KEY, markCachedEntities } from '../src/runtime/cache-entity-marks';

const schema = buildSchema(/* GraphQL */ `
  interface Node { id: ID! }
  type Machine implements Node { id: ID! name: String! sensors: [Sensor!]! }
  type Sensor implements Node { id: ID! name: String! }
  union Equipment = Machine | Sensor
  type Query { machine: Machine node: Node equipment: [Equipment!]! }
`);

const mark = (query: string, data: Record<string, unknown>) => {
  markCachedEntities({ schema, document: parse(query) }, { data });
  return data;
};
const T = CACHE_TYPENAME_KEY;

describe('markCachedEntities (entity marks for the response cache, from the result)', () => {
  it('marks objects of object-typed fields, nested lists included, through aliases', () => {
    const data = mark('{ m: machine { id sensors { id } } }', { m: { id: 'm1', sensors: [{ id: 's1' }, { id: 's2' }] } });
    expect(data).toEqual({
      [T]: 'Query',
      m: { [T]: 'Machine', id: 'm1', sensors: [{ [T]: 'Sensor', id: 's1' }, { [T]: 'Sensor', id: 's2' }] },
    });
  });

  it('marks an interface or union member only when the client selected __typename', () => {
    const withTypename = mark('{ node { __typename id } equipment { __typename ... on Machine { sensors { id } } } }', {
      node: { __typename: 'Sensor', id: 's1' },
      equipment: [{ __typename: 'Machine', sensors: [{ id: 's1' }] }, { __typename: 'Sensor' }],
    });
    expect(withTypename.node).toEqual({ [T]: 'Sensor', __typename: 'Sensor', id: 's1' });
    expect(withTypename.equipment).toEqual([
      { [T]: 'Machine', __typename: 'Machine', sensors: [{ [T]: 'Sensor', id: 's1' }] },
      { [T]: 'Sensor', __typename: 'Sensor' },
    ]);
    const without = mark('{ node { id } }', { node: { id: 'm1' } });
    expect(without.node).toEqual({ id: 'm1' });
  });

  it('follows named fragments and leaves null and missing values alone', () => {
    const data = mark('query { machine { ...M } node { ...N } } fragment M on Machine { sensors { id } } fragment N on Node { id }', {
      machine: { sensors: [] },
      node: null,
    });
    expect(data).toEqual({ [T]: 'Query', machine: { [T]: 'Machine', sensors: [] }, node: null });
  });
});
