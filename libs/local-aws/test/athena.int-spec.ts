import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  InvalidRequestException,
  QueryExecution,
  StartQueryExecutionCommand,
  StartQueryExecutionCommandInput,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { kpiFiguresOf } from '@plant/domain';
import { countersBy, FixtureAsset, generateEvents, writeLakeFixtures } from '../../../test/support/lake-fixtures';

const WG = ResourceNames.athenaWorkgroup;
const DB = ResourceNames.glueDatabase;
const ASSETS: FixtureAsset[] = [1, 2, 3].map((n) => ({ enterpriseId: 'ent1', plantId: 'plt1', lineId: 'plt1-l1', assetId: `plt1-l1-a${n}` }));
const FIRST_DAY = '2026-06-01';
const EVENTS = generateEvents(ASSETS, FIRST_DAY, 90);

async function run(client: AthenaClient, input: Omit<StartQueryExecutionCommandInput, 'WorkGroup'> & { WorkGroup?: string }): Promise<{ execution: QueryExecution; states: string[] }> {
  const { QueryExecutionId } = await client.send(new StartQueryExecutionCommand({ WorkGroup: WG, QueryExecutionContext: { Database: DB }, ...input }));
  const states: string[] = [];
  for (;;) {
    const { QueryExecution: execution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    const state = execution!.Status!.State!;
    if (states.at(-1) !== state) states.push(state);
    if (!['QUEUED', 'RUNNING'].includes(state)) return { execution: execution!, states };
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('local Athena', () => {
  let stack: LocalAwsStack;
  let client: AthenaClient;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'athena-int-'));
    stack = await startLocalAws({ port: 0, dataDir, athenaWorkGroups: [{ name: WG, outputLocation: 's3://plant-athena-results/results/' }, { name: 'tiny', bytesScannedCutoffPerQuery: 1000, outputLocation: 's3://plant-athena-results/tiny/' }] });
    client = createClient(AthenaClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    await writeLakeFixtures(stack.lakeDir, EVENTS);
  });

  afterAll(async () => {
    client.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a query asynchronously with positional parameters, a typed header row first and the CSV at the output location', async () => {
    const { execution, states } = await run(client, {
      QueryString: `SELECT scope_id, day_start, good_count, oee FROM kpis_daily WHERE scope = ? AND scope_id = ? AND dt = ? ORDER BY scope_id`,
      ExecutionParameters: [`'line'`, `'plt1-l1'`, `DATE '2026-06-03'`],
    });
    expect(execution.Status).toMatchObject({ State: 'SUCCEEDED' });
    expect(execution.Status?.StateChangeReason).toBeUndefined();
    expect(['QUEUED', 'RUNNING']).toContain(states[0]);
    expect(execution.Statistics?.EngineExecutionTimeInMillis).toBeGreaterThanOrEqual(0);
    expect(execution.Statistics?.TotalExecutionTimeInMillis).toBeGreaterThanOrEqual(0);

    const out = await client.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
    const rows = out.ResultSet!.Rows!.map((r) => r.Data!.map((d) => d.VarCharValue));
    expect(rows[0]).toEqual(['scope_id', 'day_start', 'good_count', 'oee']);
    expect(out.ResultSet!.ResultSetMetadata!.ColumnInfo!.map((c) => c.Type)).toEqual(['varchar', 'timestamp', 'bigint', 'double']);
    const expected = countersBy(EVENTS, 'line', 'day').get(`plt1-l1|${Date.parse('2026-06-03T06:00:00Z')}`)!;
    const figures = kpiFiguresOf(expected.counters);
    expect(rows.slice(1)).toEqual([['plt1-l1', '2026-06-03 06:00:00.000', String(figures.goodCount), String(figures.oee)]]);

    const csv = join(dataDir, 's3', 'plant-athena-results', 'results', `${execution.QueryExecutionId}.csv`);
    expect(execution.ResultConfiguration?.OutputLocation).toBe(`s3://plant-athena-results/results/${execution.QueryExecutionId}.csv`);
    expect(readFileSync(csv, 'utf8')).toBe(`"scope_id","day_start","good_count","oee"\n"plt1-l1","2026-06-03 06:00:00.000","${figures.goodCount}","${figures.oee}"\n`);
  });

  it('prunes partitions: a 1-day query reads one dt folder, not 90', async () => {
    const oneDay = await run(client, { QueryString: `SELECT sum(good_count) FROM kpis_daily WHERE dt = DATE '2026-07-01'` });
    const allDays = await run(client, { QueryString: `SELECT sum(good_count) FROM kpis_daily WHERE dt >= DATE '2026-06-01'` });
    const oneBytes = oneDay.execution.Statistics!.DataScannedInBytes!;
    const allBytes = allDays.execution.Statistics!.DataScannedInBytes!;
    expect(oneBytes).toBeGreaterThan(0);
    expect(allBytes).toBeGreaterThan(30 * oneBytes);
    // The same query again reads the same bytes (no cache hides them from the work group's cutoff).
    const again = await run(client, { QueryString: `SELECT sum(good_count) FROM kpis_daily WHERE dt = DATE '2026-07-01'` });
    expect(again.execution.Statistics!.DataScannedInBytes).toBe(oneBytes);
  });

  it('pages with NextToken, the header counted in the first page, and refuses MaxResults above 1,000', async () => {
    const { execution } = await run(client, { QueryString: `SELECT event_id FROM plant_events WHERE dt BETWEEN DATE '2026-06-01' AND DATE '2026-06-02' ORDER BY event_id` });
    const id = execution.QueryExecutionId;
    await expect(client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 }))).rejects.toBeInstanceOf(InvalidRequestException);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 50, NextToken: token }));
      seen.push(...page.ResultSet!.Rows!.map((r) => r.Data![0].VarCharValue!));
      token = page.NextToken;
      pages++;
    } while (token);
    const expected = EVENTS.filter((e) => e.eventTimeMs >= Date.parse('2026-06-01') && e.eventTimeMs < Date.parse('2026-06-03')).map((e) => e.eventId).sort();
    expect(seen).toEqual(['event_id', ...expected]);
    expect(pages).toBe(Math.ceil((expected.length + 1) / 50));
  });

  it('fails bad SQL with a user-error reason, as Athena does', async () => {
    const syntax = await run(client, { QueryString: 'SELECT FROM WHERE kpis_daily' });
    expect(syntax.execution.Status).toMatchObject({ State: 'FAILED', AthenaError: { ErrorCategory: 2 } });
    expect(syntax.execution.Status!.StateChangeReason).toMatch(/^SYNTAX_ERROR: /);
    const column = await run(client, { QueryString: 'SELECT no_such_column FROM kpis_daily' });
    expect(column.execution.Status!.StateChangeReason).toMatch(/^COLUMN_NOT_FOUND: .*no_such_column/s);
    await expect(client.send(new GetQueryResultsCommand({ QueryExecutionId: column.execution.QueryExecutionId }))).rejects.toThrow(/Current state: FAILED/);
  });

  it('takes parameters only as literals: an injection attempt is refused or stays a string', async () => {
    const start = (p: string) => client.send(new StartQueryExecutionCommand({ WorkGroup: WG, QueryExecutionContext: { Database: DB }, QueryString: 'SELECT count(*) FROM kpis_daily WHERE scope_id = ?', ExecutionParameters: [p] }));
    await expect(start(`'x' OR 1=1`)).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(start(`1; DROP VIEW kpis_daily`)).rejects.toThrow(/must be SQL literals/);
    const { execution } = await run(client, { QueryString: 'SELECT count(*) FROM kpis_daily WHERE scope_id = ?', ExecutionParameters: [`'x'' OR ''1''=''1'`] });
    const out = await client.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
    expect(out.ResultSet!.Rows![1].Data![0].VarCharValue).toBe('0');
    await expect(client.send(new StartQueryExecutionCommand({ WorkGroup: WG, QueryString: 'SELECT ?', ExecutionParameters: [] }))).rejects.toThrow(/1 parameter placeholder/);
  });

  it('reads the raw zone as Firehose writes it: JSON lines under source=/dt=/hour=, columns lower-cased like the Glue table', async () => {
    const dir = join(stack.lakeDir, 'raw', 'source=ampla', 'dt=2026-06-01', 'hour=06');
    mkdirSync(dir, { recursive: true });
    const event = { schemaVersion: 1, eventId: 'ev-1', kind: 'production', source: 'ampla', enterpriseId: 'ent1', plantId: 'plt1', lineId: 'plt1-l1', assetId: 'plt1-l1-a1', eventTime: '2026-06-01T06:00:01.000Z', ingestTime: '2026-06-01T06:00:02.000Z', goodCount: 7, scrapCount: 1, idealCycleSeconds: 30 };
    writeFileSync(join(dir, 'plant-raw-1-2026-06-01-06-00-00-x'), `${JSON.stringify(event)}\n${JSON.stringify({ ...event, eventId: 'ev-2', goodCount: 3 })}\n`);
    const { execution } = await run(client, { QueryString: `SELECT eventid, goodcount, assetid, source, dt, hour FROM plant_events_raw WHERE dt = '2026-06-01' ORDER BY eventid` });
    const out = await client.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
    expect(out.ResultSet!.Rows!.map((r) => r.Data!.map((d) => d.VarCharValue))).toEqual([
      ['eventid', 'goodcount', 'assetid', 'source', 'dt', 'hour'],
      ['ev-1', '7', 'plt1-l1-a1', 'ampla', '2026-06-01', '06'],
      ['ev-2', '3', 'plt1-l1-a1', 'ampla', '2026-06-01', '06'],
    ]);
  });

  it("cancels a query that scans more than its work group's BytesScannedCutoffPerQuery", async () => {
    const { execution } = await run(client, { WorkGroup: 'tiny', QueryString: `SELECT sum(good_count) FROM kpis_daily` });
    expect(execution.Status).toMatchObject({ State: 'CANCELLED' });
    expect(execution.Status!.StateChangeReason).toMatch(/Bytes scanned limit was exceeded/);
  });

  it('stops a running query on StopQueryExecution', async () => {
    const { QueryExecutionId } = await client.send(
      new StartQueryExecutionCommand({ WorkGroup: WG, QueryExecutionContext: { Database: DB }, QueryString: 'SELECT count(*) FROM plant_events a, plant_events b, plant_events c' }),
    );
    await new Promise((r) => setTimeout(r, 300));
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId }));
    const { QueryExecution: stopped } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    expect(stopped!.Status!.State).toBe('CANCELLED');
  });

  it('keeps executions and their results across a restart of the stack', async () => {
    const { execution } = await run(client, { QueryString: `SELECT scope_id, oee FROM kpis_daily WHERE dt = DATE '2026-06-05' AND scope = 'asset' ORDER BY scope_id` });
    const before = await client.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
    await stack.stop();
    stack = await startLocalAws({ port: 0, dataDir });
    client.destroy();
    client = createClient(AthenaClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    const { QueryExecution: after } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: execution.QueryExecutionId }));
    expect(after!.Status!.State).toBe('SUCCEEDED');
    const results = await client.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
    expect(results.ResultSet!.Rows).toEqual(before.ResultSet!.Rows);
    expect(results.ResultSet!.ResultSetMetadata).toEqual(before.ResultSet!.ResultSetMetadata);
    expect(existsSync(join(dataDir, 'athena', 'executions', `${execution.QueryExecutionId}.json`))).toBe(true);
  });
});
