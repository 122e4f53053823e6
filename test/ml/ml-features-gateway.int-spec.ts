import type { Role } from '@plant/auth';
import { ASSET_HEALTH_FEATURE_GROUP } from '@plant/config';
import { postGraphQL } from '../../apps/gateway/test/gateway-harness';
import { LINE, OTHER_PLANT, PLANT } from '../../apps/kpi-subgraph/test/support/kpi-fixtures';
import { bearer } from '../support/auth-tokens';
import { MlPlatform, startMlPlatform } from './ml-platform';

const OWN_ASSET = 'asset-it-01';
const FOREIGN_ASSET = 'asset-it-2a-1';
const QUERY = `query($id: ID!) { asset(id: $id) { id features(names: ["cycles_60m", "vibration_5m_mean"]) { name status value eventTime } } }`;
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

let platform: MlPlatform;
const eventTime = new Date().toISOString();

beforeAll(async () => {
  platform = await startMlPlatform();
  await platform.features.putRecords(
    [
      { id: OWN_ASSET, plant: PLANT },
      { id: FOREIGN_ASSET, plant: OTHER_PLANT },
    ].map(({ id, plant }) => ({
      featureGroupName: ASSET_HEALTH_FEATURE_GROUP.name,
      values: { asset_id: id, event_time: eventTime, plant_id: plant, line_id: LINE, cycles_60m: '42' },
    })),
  );
}, 90_000);
afterAll(() => platform?.stop());

const ask = async (role: Role, id: string, plants?: string[]) => (await postGraphQL(platform.gateway.url, QUERY, { id }, await bearer(role, plants))).body;

describe('Asset.features through the gateway', () => {
  it.each(['data_scientist', 'admin'] as Role[])('serves a %s the features with their status and event time', async (role) => {
    const body = await ask(role, OWN_ASSET);
    expect(body.errors).toBeUndefined();
    expect(body.data.asset.features).toEqual([
      { name: 'cycles_60m', status: 'PRESENT', value: '42', eventTime },
      { name: 'vibration_5m_mean', status: 'NULL', value: null, eventTime },
    ]);
  });

  it.each(['operator', 'analyst', 'partner'] as Role[])('refuses a %s the features (UNAUTHORIZED_FIELD_OR_TYPE) and serves the rest', async (role) => {
    const body = await ask(role, OWN_ASSET, role === 'partner' ? [PLANT] : undefined);
    expect(codes(body)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(body.data.asset.id).toBe(OWN_ASSET);
    expect(body.data.asset.features ?? null).toBeNull();
  });

  it("answers a plant-scoped data scientist NOT_FOUND for another plant's asset", async () => {
    const body = await ask('data_scientist', FOREIGN_ASSET, [PLANT]);
    expect(codes(body)).toContain('NOT_FOUND');
    expect(body.data?.asset ?? null).toBeNull();
  });

  it('refuses unknown feature names with BAD_USER_INPUT through the gateway', async () => {
    const body = (await postGraphQL(platform.gateway.url, '{ asset(id: "asset-it-01") { features(names: ["nope"]) { name } } }', undefined, await bearer('data_scientist'))).body;
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0].message).toContain('"nope"');
  });

  it.each(['analyst', 'partner'] as Role[])('refuses a %s training sets and exports (UNAUTHORIZED_FIELD_OR_TYPE)', async (role) => {
    const entities = '[{ id: "asset-it-01", eventTime: "2026-12-01T09:00:00Z" }]';
    const headers = await bearer(role, role === 'partner' ? [PLANT] : undefined);
    const query = (await postGraphQL(platform.gateway.url, `{ trainingSet(featureGroups: ["asset-health"], entities: ${entities}) { totalCount } }`, undefined, headers)).body;
    expect(codes(query)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    const mutation = (await postGraphQL(platform.gateway.url, `mutation { exportTrainingSet(featureGroups: ["asset-health"], entities: ${entities}) { id } }`, undefined, headers)).body;
    expect(codes(mutation)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
  });

  it('serves a data scientist a training set through the gateway', async () => {
    const body = (await postGraphQL(platform.gateway.url, `{ trainingSet(featureGroups: ["asset-health"], entities: [{ id: "${OWN_ASSET}", eventTime: "${eventTime}" }]) { totalCount rows { entityId } } }`, undefined, await bearer('data_scientist'))).body;
    expect(body.errors).toBeUndefined();
    expect(body.data.trainingSet).toEqual({ totalCount: 1, rows: [{ entityId: OWN_ASSET }] });
  });
});
