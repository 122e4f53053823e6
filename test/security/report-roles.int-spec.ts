import type { Role } from '@plant/auth';
import { postGraphQL } from '../../apps/gateway/test/gateway-harness';
import { hierarchies, LINE, PLANT } from '../../apps/kpi-subgraph/test/support/kpi-fixtures';
import { bearer } from '../support/auth-tokens';
import { generateEvents, writeLakeFixtures } from '../support/lake-fixtures';
import { SecuredPlatform, startSecuredPlatform } from './secured-platform';

/**
 * The lake reports through the real gateway (auth directives enforced there) and the real kpi and
 * history subgraphs over the local Athena: who may read reports (reports:read) and the audit
 * record (audit:read), and what a partner of PLANT gets for another plant.
 */
const ROLES: Role[] = ['operator', 'analyst', 'data_scientist', 'partner', 'admin'];
const MAY_REPORT: Role[] = ['operator', 'analyst', 'partner', 'admin'];
const MAY_AUDIT: Role[] = ['analyst', 'admin'];
const FOREIGN_LINE = 'line-it-2a';
const OWN_ASSET = 'asset-it-01';

let platform: SecuredPlatform;
const gql = async (role: Role, query: string) =>
  (await postGraphQL(platform.gateway.url, query, undefined, await bearer(role, role === 'partner' ? [PLANT] : undefined, { subject: `${role}-reports` }))).body;
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

beforeAll(async () => {
  platform = await startSecuredPlatform();
  await writeLakeFixtures(platform.lakeDir, generateEvents(hierarchies, '2026-02-01', 5));
}, 120_000);

afterAll(async () => {
  await platform?.stop();
});

describe.each(ROLES)('%s', (role) => {
  it(MAY_REPORT.includes(role) ? 'reads a line’s daily KPIs and Pareto' : 'is refused the reports (UNAUTHORIZED_FIELD_OR_TYPE), nothing served', async () => {
    const body = await gql(role, `{ line(id: "${LINE}") { id dailyKpis(from: "2026-02-01", to: "2026-02-03") { day oee } downtimePareto(from: "2026-02-01", to: "2026-02-03") { reasonCode } } }`);
    if (MAY_REPORT.includes(role)) {
      expect(body.errors).toBeUndefined();
      expect(body.data.line.dailyKpis.map((d: { day: string }) => d.day)).toEqual(['2026-02-01', '2026-02-02', '2026-02-03']);
      expect(body.data.line.downtimePareto.length).toBeGreaterThan(0);
    } else {
      expect(codes(body)).toContain('UNAUTHORIZED_FIELD_OR_TYPE');
      expect(body.data?.line?.dailyKpis ?? null).toBeNull();
    }
  });

  it(MAY_AUDIT.includes(role) ? 'reads an asset’s raw events (audit)' : 'is refused Asset.rawEvents (UNAUTHORIZED_FIELD_OR_TYPE)', async () => {
    const body = await gql(role, `{ asset(id: "${OWN_ASSET}") { id rawEvents(from: "2026-02-01T06:00:00Z", to: "2026-02-01T09:00:00Z", first: 2) { edges { node { eventId } } pageInfo { hasNextPage } } } }`);
    if (MAY_AUDIT.includes(role)) {
      expect(body.errors).toBeUndefined();
      expect(body.data.asset.rawEvents.edges).toHaveLength(2);
      expect(body.data.asset.rawEvents.pageInfo.hasNextPage).toBe(true);
    } else {
      expect(codes(body)).toContain('UNAUTHORIZED_FIELD_OR_TYPE');
      expect(body.data?.asset?.rawEvents ?? null).toBeNull();
    }
  });
});

it('answers a partner’s report of another plant’s line NOT_FOUND, like a missing id', async () => {
  const query = (id: string) => `{ line(id: "${id}") { id dailyKpis(from: "2026-02-01", to: "2026-02-03") { day } } }`;
  const foreign = await gql('partner', query(FOREIGN_LINE));
  const missing = await gql('partner', query('no-such-line'));
  expect(codes(foreign)).toEqual(['NOT_FOUND']);
  expect(foreign.data?.line ?? null).toBeNull();
  expect(codes(missing)).toEqual(['NOT_FOUND']);
});

it('refuses an over-long range through the gateway with BAD_USER_INPUT naming the limit', async () => {
  const body = await gql('analyst', `{ plant(id: "${PLANT}") { id dailyKpis(from: "2025-01-01", to: "2026-02-10") { day } } }`);
  expect(codes(body)).toEqual(['BAD_USER_INPUT']);
  expect(body.errors![0].message).toMatch(/at most 400 are allowed/);
});
