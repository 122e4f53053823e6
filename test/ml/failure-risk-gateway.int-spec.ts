import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KinesisChangeFeedPublisher } from '@plant/adapters';
import type { Role } from '@plant/auth';
import { createClient } from '@plant/aws';
import { ASSET_HEALTH_FEATURE_GROUP } from '@plant/config';
import { postGraphQL } from '../../apps/gateway/test/gateway-harness';
import { SubscriptionProbe } from '../../apps/gateway/test/subscription-probe';
import { LINE, OTHER_PLANT, PLANT } from '../../apps/kpi-subgraph/test/support/kpi-fixtures';
import { kpiUpdated } from '../security/secured-platform';
import { accessToken, bearer } from '../support/auth-tokens';
import { fixtureArtefact, publishFixture, sigmoid } from '../support/failure-risk-fixture';
import { MlPlatform, startMlPlatform } from './ml-platform';

const OWN_ASSET = 'asset-it-01';
const FOREIGN_ASSET = 'asset-it-2a-1';
const QUERY = 'query($id: ID!) { asset(id: $id) { id failureRisk { status probability modelVersion topContributions { name } } } }';
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);
// The fixture model: log-odds −1 + 2 × (vibration_5m_mean − 1).
const EXPECTED = sigmoid(-1 + 2 * (2 - 1));

let platform: MlPlatform;
let kinesis: KinesisClient;
const probes: SubscriptionProbe[] = [];

beforeAll(async () => {
  platform = await startMlPlatform();
  publishFixture(platform.stack.lakeDir, fixtureArtefact('v-gateway', -1));
  await platform.features.putRecords(
    [
      { id: OWN_ASSET, plant: PLANT },
      { id: FOREIGN_ASSET, plant: OTHER_PLANT },
    ].map(({ id, plant }) => ({
      featureGroupName: ASSET_HEALTH_FEATURE_GROUP.name,
      values: { asset_id: id, event_time: new Date().toISOString(), plant_id: plant, line_id: LINE, vibration_5m_mean: '2' },
    })),
  );
  kinesis = createClient(KinesisClient, { region: 'eu-central-1', endpoint: platform.stack.endpoint });
}, 90_000);
afterAll(async () => {
  await Promise.all(probes.map((p) => p.close()));
  kinesis?.destroy();
  await platform?.stop();
});

const ask = async (role: Role, id: string, plants?: string[]) => (await postGraphQL(platform.gateway.url, QUERY, { id }, await bearer(role, plants))).body;

describe('Asset.failureRisk through the gateway', () => {
  it.each(['operator', 'analyst', 'data_scientist', 'admin'] as Role[])('serves a %s the risk from the served model', async (role) => {
    const body = await ask(role, OWN_ASSET);
    expect(body.errors).toBeUndefined();
    expect(body.data.asset.failureRisk).toMatchObject({ status: 'AVAILABLE', modelVersion: 'v-gateway' });
    expect(body.data.asset.failureRisk.probability).toBeCloseTo(EXPECTED, 12);
  });

  it('refuses a partner the risk (UNAUTHORIZED_FIELD_OR_TYPE) and serves the rest of the asset', async () => {
    const body = await ask('partner', OWN_ASSET, [PLANT]);
    expect(codes(body)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(body.data.asset.id).toBe(OWN_ASSET);
    expect(body.data.asset.failureRisk ?? null).toBeNull();
  });

  it("answers a plant-scoped operator NOT_FOUND for another plant's asset", async () => {
    const body = await ask('operator', FOREIGN_ASSET, [PLANT]);
    expect(codes(body)).toContain('NOT_FOUND');
    expect(body.data?.asset ?? null).toBeNull();
  });

  it('resolves kpiUpdated { asset { failureRisk } } from the ml-subgraph in every subscription event', async () => {
    const probe = new SubscriptionProbe(
      platform.gateway.wsUrl,
      `subscription { kpiUpdated(assetId: "${OWN_ASSET}") { scopeId oee asset { id failureRisk { status probability modelVersion } } } }`,
      { authorization: `Bearer ${await accessToken('operator')}` },
    );
    probes.push(probe);
    const publisher = new KinesisChangeFeedPublisher(kinesis, { streamName: platform.kpi.config.CHANGE_FEED_STREAM });
    for (let i = 0; i < 30 && probe.events.length === 0; i++) {
      await publisher.publish([kpiUpdated(OWN_ASSET)]);
      await probe.until((p) => p.events.length > 0, 300).catch(() => undefined);
    }
    const event = probe.events[0];
    expect(event.errors).toBeUndefined();
    expect(event.data.kpiUpdated.scopeId).toBe(OWN_ASSET);
    expect(event.data.kpiUpdated.asset.failureRisk).toMatchObject({ status: 'AVAILABLE', modelVersion: 'v-gateway' });
    expect(event.data.kpiUpdated.asset.failureRisk.probability).toBeCloseTo(EXPECTED, 12);
  });
});
