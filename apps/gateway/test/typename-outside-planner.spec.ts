import { buildSchema, parse, print } from 'graphql';
import { restoreStaticTypenames, withoutStaticTypenames } from '../src/runtime/typename-outside-planner';

const schema = buildSchema(/* GraphQL */ `
  interface Node { id: ID! }
  type Machine implements Node { id: ID! name: String! sensors: [Sensor!]! }
  type Sensor implements Node { id: ID! name: String! }
  type Query { machines: [Machine!]! node: Node }
`);

const planned = (query: string) => {
  const result = withoutStaticTypenames(schema, parse(query));
  return result && print(result.document).replace(/\s+/g, ' ');
};

describe('withoutStaticTypenames / restoreStaticTypenames (static __typename answered by the gateway)', () => {
  it('removes __typename beside other fields on object-typed paths, aliases included', () => {
    expect(planned('{ __typename machines { __typename id sensors { t: __typename name } } }')).toBe(
      '{ machines { id sensors { name } } }',
    );
  });

  it('keeps __typename that is alone, has directives, sits under an interface or in a named fragment', () => {
    expect(planned('{ machines { sensors { __typename } } }')).toBeUndefined();
    expect(planned('query($x: Boolean!) { machines { __typename @include(if: $x) id } }')).toBeUndefined();
    expect(planned('{ node { __typename id ... on Machine { __typename name } } }')).toBeUndefined();
    expect(planned('{ machines { ...M } } fragment M on Machine { __typename id }')).toBeUndefined();
  });

  it('writes the type names back in the client’s field order, through lists, aliases and inline fragments', () => {
    const document = parse('{ __typename machines { id __typename sensors { __typename ... on Sensor { t: __typename name } } } }');
    const stripped = withoutStaticTypenames(schema, document)!;
    const data = restoreStaticTypenames(schema, document, undefined, stripped.stripped, {
      machines: [{ id: 'm1', sensors: [{ name: 'a' }] }, { id: 'm2', sensors: [] }],
    });
    expect(JSON.stringify(data)).toBe(
      JSON.stringify({
        __typename: 'Query',
        machines: [
          { id: 'm1', __typename: 'Machine', sensors: [{ t: 'Sensor', name: 'a' }] },
          { id: 'm2', __typename: 'Machine', sensors: [] },
        ],
      }),
    );
  });

  it('leaves null objects null (no type name for an object that is not there)', () => {
    const document = parse('{ machines { __typename id sensors { __typename name } } }');
    const stripped = withoutStaticTypenames(schema, document)!;
    expect(restoreStaticTypenames(schema, document, undefined, stripped.stripped, { machines: null })).toEqual({ machines: null });
  });
});
