import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetSubgraphSdl } from '../../../test/federation-fixtures/asset-subgraph';
import { maintenanceSubgraphSdl } from '../../../test/federation-fixtures/maintenance-subgraph';
import { runCompose } from '../compose-command';

describe('npm run compose', () => {
  let root: string;
  const subgraphs = [
    { name: 'assets', sdlPath: 'a/schema.graphql', url: 'http://127.0.0.1:4101/graphql' },
    { name: 'maintenance', sdlPath: 'm/schema.graphql', url: 'http://127.0.0.1:4102/graphql' },
  ];
  const quiet = { out: () => undefined, err: () => undefined };
  const run = (check: boolean) => runCompose({ root, subgraphs, target: 'supergraph.graphql', check, ...quiet });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'compose-'));
    mkdirSync(join(root, 'a'));
    mkdirSync(join(root, 'm'));
    writeFileSync(join(root, 'a/schema.graphql'), assetSubgraphSdl);
    writeFileSync(join(root, 'm/schema.graphql'), maintenanceSubgraphSdl);
  });

  it('writes a supergraph with every subgraph and its URL', () => {
    expect(run(false)).toBe(0);
    const supergraph = readFileSync(join(root, 'supergraph.graphql'), 'utf8');
    expect(supergraph).toContain('@join__graph(name: "assets", url: "http://127.0.0.1:4101/graphql")');
    expect(supergraph).toContain('failureRisk: Float! @join__field(graph: MAINTENANCE)');
  });

  it('--check passes when the committed supergraph is current', () => {
    run(false);
    expect(run(true)).toBe(0);
  });

  it('--check fails when a subgraph SDL changed after composing', () => {
    run(false);
    writeFileSync(join(root, 'm/schema.graphql'), maintenanceSubgraphSdl.replace('failureRisk: Float!', 'failureRisk: Float'));
    expect(run(true)).toBe(1);
  });

  it('--check fails when there is no supergraph yet', () => {
    expect(run(true)).toBe(1);
  });

  it('fails with the composition errors when subgraphs conflict', () => {
    writeFileSync(join(root, 'm/schema.graphql'), maintenanceSubgraphSdl.replace('failureRisk: Float!', 'name: Int!'));
    const errors: string[] = [];
    expect(runCompose({ root, subgraphs, target: 'supergraph.graphql', check: false, out: () => undefined, err: (l) => errors.push(l) })).toBe(1);
    expect(errors.join('\n')).toMatch(/name/);
  });

  it('fails naming a subgraph whose SDL is missing', () => {
    const errors: string[] = [];
    runCompose({ root, subgraphs: [...subgraphs, { name: 'ml', sdlPath: 'ml.graphql', url: 'http://x/graphql' }], target: 's.graphql', check: false, out: () => undefined, err: (l) => errors.push(l) });
    expect(errors[0]).toContain('ml (ml.graphql)');
  });
});
