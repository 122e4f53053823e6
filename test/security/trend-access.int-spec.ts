import { postGraphQL } from '../../apps/gateway/test/gateway-harness';
import { LINE, OTHER_PLANT, PLANT } from '../../apps/kpi-subgraph/test/support/kpi-fixtures';
import { bearer } from '../support/auth-tokens';
import { SecuredPlatform, startSecuredPlatform } from './secured-platform';

/**
 * Richer trends through the real gateway and subgraphs: line and plant trends for the caller's plants,
 * refusals with codes for other plants, over-large ranges and unaffordable operations (the gateway
 * prices a trend at one per bucket), and a 7-day 1-minute trend allowed.
 */
let platform: SecuredPlatform;
const FOREIGN_ASSET = 'asset-it-2a-1';
const FOREIGN_LINE = 'line-it-2a';
const partner = () => bearer('partner', [PLANT], { subject: 'partner-1' });
const analyst = () => bearer('analyst', undefined, { subject: 'analyst-1' });
const gql = async (headers: Promise<Record<string, string>> | Record<string, string>, query: string) => postGraphQL(platform.gateway.url, query, undefined, await headers);
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);
const TREND = 'trend(measure: "temperature", last: "1h", bucket: "1m", aggregates: [AVG, TIME_WEIGHTED_AVG, P95, COUNT, GOOD_PERCENT]) { subject points { avg timeWeightedAvg p95 count } }';

beforeAll(async () => {
  platform = await startSecuredPlatform();
}, 90_000);
afterAll(() => platform?.stop());

it('serves line and plant trends pooled over the caller’s assets', async () => {
  const { body } = await gql(analyst(), `{ line(id: "${LINE}") { ${TREND} } plant(id: "${PLANT}") { ${TREND} } }`);
  expect(body.errors).toBeUndefined();
  expect(body.data.line.trend.subject).toBe('LINE');
  expect(body.data.line.trend.points[0].count).toBeGreaterThan(1);
  expect(body.data.plant.trend.points[0].count).toBeGreaterThan(body.data.line.trend.points[0].count - 1);
});

it('refuses another plant’s plant and line with NOT_FOUND and serves an empty trend for its asset by id', async () => {
  const plant = await gql(partner(), `{ plant(id: "${OTHER_PLANT}") { ${TREND} } }`);
  expect(codes(plant.body)).toEqual(['NOT_FOUND']);
  const line = await gql(partner(), `{ line(id: "${FOREIGN_LINE}") { ${TREND} } }`);
  expect(codes(line.body)).toEqual(['NOT_FOUND']);
  const asset = await gql(partner(), `{ assetTrend(assetId: "${FOREIGN_ASSET}", measure: "temperature") { points { count } } }`);
  expect(asset.body).toEqual({ data: { assetTrend: { points: [] } } });
  const own = await gql(partner(), `{ line(id: "${LINE}") { ${TREND} } }`);
  expect(own.body.data.line.trend.points.length).toBeGreaterThan(0);
});

it('refuses a range beyond the limit with BAD_USER_INPUT naming it', async () => {
  const { body } = await gql(analyst(), `{ line(id: "${LINE}") { trend(measure: "temperature", last: "40d", bucket: "1d") { points { avg } } } }`);
  expect(codes(body)).toEqual(['BAD_USER_INPUT']);
  expect(body.errors?.[0].message).toMatch(/at most 31d/);
});

it('allows a 7-day 1-minute trend and refuses an operation whose buckets cost more than the budget', async () => {
  const week = (alias: string) => `${alias}: assetTrend(assetId: "asset-it-01", measure: "temperature", last: "7d", bucket: "1m") { points { avg } }`;
  const one = await gql(analyst(), `{ ${week('a')} }`);
  expect(one.status).toBe(200);
  expect(one.body.errors).toBeUndefined();
  const five = await gql(analyst(), `{ ${['a', 'b', 'c', 'd', 'e'].map(week).join(' ')} }`);
  expect(five.status).toBe(400);
  expect(codes(five.body)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
});

it('refuses a caller without a token (UNAUTHENTICATED)', async () => {
  const res = await postGraphQL(platform.gateway.url, `{ assetTrend(assetId: "asset-it-01", measure: "temperature") { points { count } } }`, undefined, null);
  expect(res.status).toBe(401);
  expect(codes(res.body)).toEqual(['UNAUTHENTICATED']);
});
