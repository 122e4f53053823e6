import { createServer } from 'node:net';
import { gql, RunningSubgraph, startSubgraph } from './support/kpi-subgraph.harness';

/** A port nothing listens on: DynamoDB and Kinesis "unreachable". */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let subgraph: RunningSubgraph;

beforeAll(async () => {
  subgraph = await startSubgraph(`http://127.0.0.1:${await closedPort()}`);
});

afterAll(async () => {
  await subgraph?.close();
});

it('starts without its backends and answers UNAVAILABLE, without backend details', async () => {
  const { data, errors } = await gql(subgraph.url, '{ plants { id } asset(id: "a-1") { id } }');
  expect(data).toBeNull();
  expect(errors?.length).toBeGreaterThan(0);
  expect(errors?.map((e) => e.extensions)).toEqual(errors?.map(() => ({ code: 'UNAVAILABLE' })));
  expect(errors?.[0].message).toBe('The KPI store is unavailable; retry later');
  expect(JSON.stringify(errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|stack/i);
});

it('reports the KPI table and the change feed failing on /health', async () => {
  const res = await fetch(subgraph.url.replace('/graphql', '/health'));
  const body = await res.json();
  expect(res.status).toBe(503);
  expect(body.checks).toMatchObject({ 'dynamodb:plant-kpis': { status: 'failed' }, 'change-feed': { status: 'failed' } });
});
