import { composeFixtureSupergraph } from '../../../test/federation-fixtures/fixture-supergraph';
import { overrideSubgraphUrls, subgraphsOf, SupergraphError } from '../src/supergraph/supergraph-file';

const supergraph = composeFixtureSupergraph({ assets: 'http://127.0.0.1:1/graphql', maintenance: 'http://127.0.0.1:2/graphql' });

describe('supergraph file', () => {
  it('lists the graphs of join__Graph with their URLs', () => {
    expect(subgraphsOf(supergraph)).toEqual([
      { name: 'assets', url: 'http://127.0.0.1:1/graphql' },
      { name: 'maintenance', url: 'http://127.0.0.1:2/graphql' },
    ]);
  });

  it('replaces the URL of each graph that has an override and keeps the others', () => {
    const result = overrideSubgraphUrls(supergraph, { assets: 'https://kpi.internal/graphql', ml: 'http://unused' });
    expect(subgraphsOf(result)).toEqual([
      { name: 'assets', url: 'https://kpi.internal/graphql' },
      { name: 'maintenance', url: 'http://127.0.0.1:2/graphql' },
    ]);
  });

  it('says clearly when the supergraph does not parse', () => {
    expect(() => subgraphsOf('enum join__Graph {')).toThrow(SupergraphError);
  });
});
