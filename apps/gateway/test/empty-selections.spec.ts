import { parse, print } from 'graphql';
import { withPlaceholders } from '../src/runtime/empty-selections.plugin';
import { withoutCacheFields } from '../src/runtime/response-cache.plugin';

describe('documents after authorization removed fields', () => {
  it('fills an operation left without fields with a placeholder the planner can parse', () => {
    const emptied = { ...parse('mutation { x }'), definitions: [{ ...parse('mutation { x }').definitions[0], selectionSet: { kind: 'SelectionSet', selections: [] } }] } as never;
    expect(print(withPlaceholders(emptied)!)).toBe('mutation {\n  __authorizedNothing: __typename\n}');
  });

  it('leaves a document without empty selection sets alone', () => {
    expect(withPlaceholders(parse('{ plants { id } }'))).toBeNull();
  });
});

describe('withoutCacheFields', () => {
  it('removes only the fields the response cache added', () => {
    const rewritten = parse('{ plants { id name __responseCacheTypeName: __typename } __responseCacheTypeName: __typename }');
    expect(print(withoutCacheFields(rewritten))).toBe(print(parse('{ plants { id name } }')));
  });

  it('keeps the cache’s __typename where it is the only field left (authorization removed the rest)', () => {
    const rewritten = parse('mutation { __responseCacheTypeName: __typename }');
    expect(print(withoutCacheFields(rewritten))).toBe(print(rewritten));
  });
});
