import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { DuckDbTrainingSetQuery, SageMakerFeatureStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ASSET_HEALTH_FEATURE_GROUP } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { DuckDBInstance } from '@duckdb/node-api';

const GROUP = ASSET_HEALTH_FEATURE_GROUP;
const T = (iso: string) => `2026-12-01T${iso}Z`;
const put = (id: string, eventTime: string, cycles: string, plant = 'p1') => ({ featureGroupName: GROUP.name, values: { asset_id: id, event_time: eventTime, plant_id: plant, cycles_60m: cycles } });

/** Constructed leak cases over the offline store the local Feature Store writes (real SDK client, real files). */
describe('point-in-time training sets (DuckDB ASOF JOIN over the offline store)', () => {
  let stack: LocalAwsStack;
  let client: SageMakerFeatureStoreRuntimeClient;
  let query: DuckDbTrainingSetQuery;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'training-set-'));
    stack = await startLocalAws({ port: 0, dataDir });
    client = createClient(SageMakerFeatureStoreRuntimeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    await new SageMakerFeatureStore(client).putRecords([
      put('a1', T('08:00:00.000'), '10'),
      put('a1', T('09:00:00.001'), '99'), // 1 ms after the row at 09:00: must never appear there
      put('a1', T('10:00:00.000'), '20'),
      put('old', T('01:00:00.000'), '5'), // more than the 6 h TTL before the 08:00 row
      put('foreign', T('08:00:00.000'), '7', 'p2'),
    ]);
    query = new DuckDbTrainingSetQuery(stack.lakeDir);
  });
  afterAll(async () => {
    client.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cycles = (row: { features: { name: string; status: string; value: string | null; featureTime: string | null }[] }) => row.features.find((f) => f.name === 'cycles_60m');

  it('takes the newest value at or before the event time, never one 1 ms later', async () => {
    const { rows, total } = await query.rows({ featureGroups: [GROUP], entities: [{ id: 'a1', eventTime: T('09:00:00.000') }, { id: 'a1', eventTime: T('09:00:00.001') }, { id: 'a1', eventTime: T('07:59:59.999') }] }, 0, 10);
    expect(total).toBe(3);
    expect(rows.map((r) => cycles(r))).toEqual([
      { group: GROUP.name, name: 'cycles_60m', status: 'PRESENT', value: '10', featureTime: T('08:00:00.000') },
      { group: GROUP.name, name: 'cycles_60m', status: 'PRESENT', value: '99', featureTime: T('09:00:00.001') },
      { group: GROUP.name, name: 'cycles_60m', status: 'NOT_FOUND', value: null, featureTime: null },
    ]);
  });

  it('nulls a value older than the TTL (EXPIRED) and a feature without data (NULL)', async () => {
    const { rows } = await query.rows({ featureGroups: [GROUP], entities: [{ id: 'old', eventTime: T('08:00:00.000') }, { id: 'a1', eventTime: T('08:30:00.000') }] }, 0, 10);
    expect(cycles(rows[0])).toMatchObject({ status: 'EXPIRED', value: null, featureTime: T('01:00:00.000') });
    expect(rows[1].features.find((f) => f.name === 'vibration_5m_mean')).toMatchObject({ status: 'NULL', value: null });
  });

  it("joins no record of another plant's entity for a plant-scoped caller", async () => {
    const { rows } = await query.rows({ featureGroups: [GROUP], entities: [{ id: 'foreign', eventTime: T('09:00:00.000') }], plantIds: ['p1'] }, 0, 10);
    expect(cycles(rows[0])?.status).toBe('NOT_FOUND');
  });

  it('labels a row with a feature value after its horizon, and pages in request order', async () => {
    const request = { featureGroups: [GROUP], entities: [0, 1, 2].map(() => ({ id: 'a1', eventTime: T('08:30:00.000') })), label: { featureGroup: GROUP, feature: 'cycles_60m', horizonSeconds: 3600 } };
    const { rows, total } = await query.rows(request, 1, 5);
    expect(total).toBe(3);
    expect(rows.map((r) => [r.index, r.label, cycles(r)?.value])).toEqual([
      [1, 99, '10'],
      [2, 99, '10'],
    ]);
  });

  it('exports the set as Parquet with the same point-in-time values', async () => {
    const location = join(stack.lakeDir, 'features', 'exports', 'test-1');
    const out = await query.export({ featureGroups: [GROUP], entities: [{ id: 'a1', eventTime: T('09:00:00.000') }, { id: 'old', eventTime: T('08:00:00.000') }] }, location);
    expect(out.rows).toBe(2);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const read = await db.runAndReadAll(`SELECT entity_id, event_time, cycles_60m FROM read_parquet('${join(location, '*.parquet')}') ORDER BY row_index`);
    expect(read.getRowObjectsJson()).toEqual([
      { entity_id: 'a1', event_time: T('09:00:00.000'), cycles_60m: '10' },
      { entity_id: 'old', event_time: T('08:00:00.000'), cycles_60m: null },
    ]);
    db.closeSync();
    expect(readFileSync(join(location, 'part-0.parquet')).subarray(0, 4).toString()).toBe('PAR1');
  });
});
