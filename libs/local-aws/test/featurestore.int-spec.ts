import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetRecordCommand,
  DeleteRecordCommand,
  GetRecordCommand,
  PutRecordCommand,
  ResourceNotFound,
  SageMakerFeatureStoreRuntimeClient,
  ValidationError,
} from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { createClient } from '@plant/aws';
import { ASSET_HEALTH_FEATURE_GROUP, LINE_HEALTH_FEATURE_GROUP } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';

const ASSET = ASSET_HEALTH_FEATURE_GROUP.name;
const record = (assetId: string, eventTime: string, vibration = '1.5') => [
  { FeatureName: 'asset_id', ValueAsString: assetId },
  { FeatureName: 'event_time', ValueAsString: eventTime },
  { FeatureName: 'plant_id', ValueAsString: 'plt1' },
  { FeatureName: 'vibration_5m_mean', ValueAsString: vibration },
  { FeatureName: 'cycles_60m', ValueAsString: '12' },
];

describe('local SageMaker Feature Store runtime (real SDK client)', () => {
  let clock = Date.parse('2026-12-01T10:00:00.000Z');
  let stack: LocalAwsStack;
  let store: SageMakerFeatureStoreRuntimeClient;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'featurestore-'));
    stack = await startLocalAws({ port: 0, dataDir, featureStore: { now: () => clock, maxRecordsPerBatchCall: 3 } });
    store = createClient(SageMakerFeatureStoreRuntimeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  });
  afterAll(async () => {
    store.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('puts a record and gets it back as FeatureName/ValueAsString with ExpiresAt from TtlDuration', async () => {
    await store.send(new PutRecordCommand({ FeatureGroupName: ASSET, Record: record('a1', '2026-12-01T09:59:00.000Z'), TtlDuration: { Unit: 'Hours', Value: 2 } }));
    const out = await store.send(new GetRecordCommand({ FeatureGroupName: ASSET, RecordIdentifierValueAsString: 'a1', ExpirationTimeResponse: 'Enabled' }));
    expect(out.Record).toEqual(record('a1', '2026-12-01T09:59:00.000Z'));
    expect(out.ExpiresAt).toBe('2026-12-01T11:59:00.000Z');
  });

  it('returns only the FeatureNames asked for', async () => {
    const out = await store.send(new GetRecordCommand({ FeatureGroupName: ASSET, RecordIdentifierValueAsString: 'a1', FeatureNames: ['cycles_60m'] }));
    expect(out.Record).toEqual([{ FeatureName: 'cycles_60m', ValueAsString: '12' }]);
  });

  it('keeps the newer record when an older event time arrives later', async () => {
    await store.send(new PutRecordCommand({ FeatureGroupName: ASSET, Record: record('a1', '2026-12-01T09:00:00.000Z', '99') }));
    const out = await store.send(new GetRecordCommand({ FeatureGroupName: ASSET, RecordIdentifierValueAsString: 'a1', FeatureNames: ['vibration_5m_mean'] }));
    expect(out.Record).toEqual([{ FeatureName: 'vibration_5m_mean', ValueAsString: '1.5' }]);
  });

  it('answers an unknown or expired record with no Record', async () => {
    await store.send(new PutRecordCommand({ FeatureGroupName: ASSET, Record: record('short', '2026-12-01T09:59:00.000Z'), TtlDuration: { Unit: 'Minutes', Value: 1 } }));
    expect((await store.send(new GetRecordCommand({ FeatureGroupName: ASSET, RecordIdentifierValueAsString: 'short' }))).Record).toBeUndefined();
    expect((await store.send(new GetRecordCommand({ FeatureGroupName: ASSET, RecordIdentifierValueAsString: 'nobody' }))).Record).toBeUndefined();
  });

  it('answers BatchGetRecord with Records and the ids beyond its capacity as UnprocessedIdentifiers', async () => {
    for (const id of ['b1', 'b2', 'b3', 'b4']) await store.send(new PutRecordCommand({ FeatureGroupName: ASSET, Record: record(id, '2026-12-01T09:59:00.000Z') }));
    const out = await store.send(
      new BatchGetRecordCommand({ Identifiers: [{ FeatureGroupName: ASSET, RecordIdentifiersValueAsString: ['b1', 'b2', 'missing', 'b3', 'b4'], FeatureNames: ['asset_id', 'cycles_60m'] }] }),
    );
    expect(out.Records?.map((r) => r.RecordIdentifierValueAsString)).toEqual(['b1', 'b2']);
    expect(out.Records?.[0].Record).toEqual([{ FeatureName: 'asset_id', ValueAsString: 'b1' }, { FeatureName: 'cycles_60m', ValueAsString: '12' }]);
    expect(out.UnprocessedIdentifiers).toEqual([{ FeatureGroupName: ASSET, RecordIdentifiersValueAsString: ['b3', 'b4'], FeatureNames: ['asset_id', 'cycles_60m'] }]);
  });

  it('refuses an unknown feature group with ResourceNotFound and bad records with ValidationError', async () => {
    await expect(store.send(new GetRecordCommand({ FeatureGroupName: 'nope', RecordIdentifierValueAsString: 'a1' }))).rejects.toBeInstanceOf(ResourceNotFound);
    const bad = [
      [...record('a1', '2026-12-01T09:59:00.000Z'), { FeatureName: 'unknown_feature', ValueAsString: '1' }],
      record('a1', 'yesterday'),
      record('a1', '2026-12-01T09:59:00.000Z', 'not-a-number'),
      record('', '2026-12-01T09:59:00.000Z'),
    ];
    for (const Record of bad) await expect(store.send(new PutRecordCommand({ FeatureGroupName: ASSET, Record }))).rejects.toBeInstanceOf(ValidationError);
    await expect(
      store.send(new BatchGetRecordCommand({ Identifiers: [{ FeatureGroupName: ASSET, RecordIdentifiersValueAsString: Array.from({ length: 101 }, (_, i) => `x${i}`) }] })),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('deletes a record whose event time is not newer than the delete', async () => {
    await store.send(new PutRecordCommand({ FeatureGroupName: ASSET, Record: record('d1', '2026-12-01T09:59:00.000Z') }));
    await store.send(new DeleteRecordCommand({ FeatureGroupName: ASSET, RecordIdentifierValueAsString: 'd1', EventTime: '2026-12-01T09:59:30.000Z' }));
    expect((await store.send(new GetRecordCommand({ FeatureGroupName: ASSET, RecordIdentifierValueAsString: 'd1' }))).Record).toBeUndefined();
  });

  it('appends every put to the offline store under features/<table>/dt=<event date>/ with typed columns', () => {
    const dir = join(stack.lakeDir, 'features', 'asset_health', 'dt=2026-12-01');
    const rows = readdirSync(dir).flatMap((file) => readFileSync(join(dir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line)));
    const a1 = rows.filter((r) => r.asset_id === 'a1');
    expect(a1.map((r) => r.vibration_5m_mean)).toEqual([1.5, 99]);
    expect(a1[0]).toMatchObject({ event_time: '2026-12-01T09:59:00.000Z', cycles_60m: 12, plant_id: 'plt1', oee_15m: null, is_deleted: false });
    expect(rows.find((r) => r.asset_id === 'd1' && r.is_deleted)).toBeDefined();
  });

  it('keeps online records across a restart of the stack', async () => {
    store.destroy();
    await stack.stop();
    clock = Date.parse('2026-12-01T10:30:00.000Z');
    stack = await startLocalAws({ port: 0, dataDir, featureStore: { now: () => clock } });
    store = createClient(SageMakerFeatureStoreRuntimeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    const out = await store.send(new GetRecordCommand({ FeatureGroupName: ASSET, RecordIdentifierValueAsString: 'a1' }));
    expect(out.Record).toEqual(record('a1', '2026-12-01T09:59:00.000Z'));
    expect((await store.send(new GetRecordCommand({ FeatureGroupName: ASSET, RecordIdentifierValueAsString: 'd1' }))).Record).toBeUndefined();
    await store.send(new PutRecordCommand({ FeatureGroupName: LINE_HEALTH_FEATURE_GROUP.name, Record: [{ FeatureName: 'line_id', ValueAsString: 'l1' }, { FeatureName: 'event_time', ValueAsString: '1764583200.5' }] }));
    expect((await store.send(new GetRecordCommand({ FeatureGroupName: 'line-health', RecordIdentifierValueAsString: 'l1' }))).Record).toHaveLength(2);
  });
});
