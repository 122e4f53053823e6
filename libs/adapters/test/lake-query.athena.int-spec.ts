import { AthenaClient, GetQueryExecutionCommand } from '@aws-sdk/client-athena';
import { AthenaLakeQuery } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { CachedLakeQuery, lakeParam, LakeQueryError, LakeStatement, productionDayWatermark } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { FixtureAsset, generateEvents, writeLakeFixtures } from '../../../test/support/lake-fixtures';

const ASSETS: FixtureAsset[] = [1, 2, 3].map((n) => ({ enterpriseId: 'ent1', plantId: 'plt1', lineId: 'plt1-l1', assetId: `plt1-l1-a${n}` }));
const EVENTS = generateEvents(ASSETS, '2026-05-01', 20);
const SLOW = 'SELECT count(*) FROM plant_events a, plant_events b, plant_events c';

const eventsOf = (assetId: string): LakeStatement => ({
  sql: 'SELECT event_id FROM plant_events WHERE asset_id = ? AND dt BETWEEN ? AND ? ORDER BY event_id',
  parameters: [lakeParam.string(assetId), lakeParam.date('2026-05-01'), lakeParam.date('2026-05-21')],
  partitions: { from: '2026-05-01', to: '2026-05-21' },
});

describe('AthenaLakeQuery (local Athena)', () => {
  let stack: LocalAwsStack;
  let client: AthenaClient;
  /** QueryExecutionIds the adapter asked Athena to stop. */
  const stopped: string[] = [];
  const adapter = (timeoutMs = 20_000, workGroup: string = ResourceNames.athenaWorkgroup) =>
    new AthenaLakeQuery(client, { workGroup, database: ResourceNames.glueDatabase, timeoutMs, firstPollMs: 10, maxPollMs: 100 });

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0, athenaWorkGroups: [{ name: ResourceNames.athenaWorkgroup, outputLocation: 's3://results/q/' }, { name: 'tiny', bytesScannedCutoffPerQuery: 100, outputLocation: 's3://results/t/' }] });
    client = createClient(AthenaClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    client.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'StopQueryExecutionCommand') stopped.push((args.input as { QueryExecutionId: string }).QueryExecutionId);
        return next(args);
      },
      { step: 'initialize' },
    );
    await writeLakeFixtures(stack.lakeDir, EVENTS);
  });

  afterAll(async () => {
    client.destroy();
    await stack.stop();
  });

  it('returns every row of a result longer than one page, without the header row, with typed columns', async () => {
    const result = await adapter().query({ ...eventsOf('plt1-l1-a1'), sql: eventsOf('').sql.replace('asset_id = ?', 'asset_id <> ?') });
    const expected = EVENTS.filter((e) => e.assetId !== 'plt1-l1-a1').map((e) => e.eventId).sort();
    expect(expected.length).toBeGreaterThan(1000);
    expect(result.columns).toEqual([{ name: 'event_id', type: 'varchar' }]);
    expect(result.rows.map((r) => r[0])).toEqual(expected);
  });

  it('binds user input as a literal: an injection attempt matches nothing', async () => {
    const honest = await adapter().query(eventsOf('plt1-l1-a2'));
    expect(honest.rows.length).toBe(EVENTS.filter((e) => e.assetId === 'plt1-l1-a2').length);
    const hostile = await adapter().query(eventsOf(`plt1-l1-a2' OR '1'='1`));
    expect(hostile.rows).toEqual([]);
    await expect(adapter().query({ ...eventsOf('x'), parameters: [lakeParam.string('x'), lakeParam.date(`2026-05-01' OR true --`), lakeParam.date('2026-05-02')] })).rejects.toThrow(/not a date/);
  });

  it('stops the query in Athena when the caller aborts', async () => {
    const controller = new AbortController();
    const running = adapter().query({ sql: SLOW, parameters: [], partitions: { from: '2026-05-01', to: '2026-05-21' } }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toMatchObject({ name: 'LakeQueryError', code: 'CANCELLED' });
    const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: stopped.at(-1) }));
    expect(QueryExecution!.Status!.State).toBe('CANCELLED');
  });

  it('stops the query and fails with TIMEOUT past its timeout', async () => {
    const before = stopped.length;
    await expect(adapter(300).query({ sql: SLOW, parameters: [], partitions: { from: '2026-05-01', to: '2026-05-21' } })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(stopped.length).toBe(before + 1);
    const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: stopped.at(-1) }));
    expect(QueryExecution!.Status!.State).toBe('CANCELLED');
  });

  it('names a failed statement FAILED and a cutoff TOO_EXPENSIVE', async () => {
    await expect(adapter().query({ sql: 'SELECT nope FROM kpis_daily', parameters: [], partitions: { from: '2026-05-01', to: '2026-05-01' } })).rejects.toMatchObject({ code: 'FAILED' });
    await expect(adapter(20_000, 'tiny').query(eventsOf('plt1-l1-a1'))).rejects.toMatchObject({ code: 'TOO_EXPENSIVE' });
    await expect(adapter(20_000, 'no-such-group').query(eventsOf('plt1-l1-a1'))).rejects.toBeInstanceOf(LakeQueryError);
  });

  it('caches by text + parameters + watermark: finished days are never re-queried, an open day expires', async () => {
    let now = Date.parse('2026-05-10T12:00:00Z');
    const cached = new CachedLakeQuery(adapter(), { maxEntries: 10, openPartitionTtlMs: 60_000, watermark: productionDayWatermark(0, () => now), now: () => now });
    const closed: LakeStatement = { ...eventsOf('plt1-l1-a1'), partitions: { from: '2026-05-01', to: '2026-05-08' } };
    const first = await cached.query(closed);
    expect(await cached.query(closed)).toBe(first);
    expect(await cached.query({ ...closed, parameters: [lakeParam.string('plt1-l1-a3'), ...closed.parameters.slice(1)] })).not.toBe(first);
    expect(cached.misses).toBe(2);

    const open: LakeStatement = { ...eventsOf('plt1-l1-a1'), partitions: { from: '2026-05-09', to: '2026-05-10' } };
    await cached.query(open);
    await cached.query(open);
    expect(cached.misses).toBe(3);
    now += 61_000;
    await cached.query(open);
    expect(cached.misses).toBe(4);
    now += 5 * 86_400_000;
    await cached.query(closed);
    expect(cached.misses).toBe(4);
  });
});
