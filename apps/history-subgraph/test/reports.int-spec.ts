import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@plant/config';
import { kpiFiguresOf, windowInstanceAt } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { HistorySubgraphModule } from '../src/app.module';
import { HistorySubgraphConfigSchema } from '../src/config';
import { internalIdentity, TEST_INTERNAL_AUTH_SECRET, testIdentity } from '../../../test/support/auth-tokens';
import { countersBy, FixtureAsset, generateEvents, writeLakeFixtures } from '../../../test/support/lake-fixtures';

const ASSETS: FixtureAsset[] = [
  ...[1, 2].map((n) => ({ enterpriseId: 'ent1', plantId: 'plt1', lineId: 'plt1-l1', assetId: `plt1-l1-a${n}` })),
  ...[1, 2].map((n) => ({ enterpriseId: 'ent1', plantId: 'plt2', lineId: 'plt2-l1', assetId: `plt2-l1-a${n}` })),
];
const FIRST_DAY = '2026-03-01';
const EVENTS = generateEvents(ASSETS, FIRST_DAY, 90);
const DAILY = 'day goodCount scrapCount runSeconds downtimeSeconds availability performance quality oee';
const dayMs = (day: string) => Date.parse(`${day}T06:00:00Z`);

/** Expected daily KPIs of a scope id, from the same events (OEE from summed counters, as libs/domain computes it). */
function expectedDaily(scope: 'asset' | 'line' | 'plant', id: string, from: string, to: string) {
  return [...countersBy(EVENTS, scope, 'day').entries()]
    .filter(([key, v]) => key.startsWith(`${id}|`) && v.start >= dayMs(from) && v.start <= dayMs(to))
    .sort(([, a], [, b]) => a.start - b.start)
    .map(([, { start, counters }]) => {
      const f = kpiFiguresOf(counters);
      return { day: new Date(start).toISOString().slice(0, 10), goodCount: f.goodCount, scrapCount: f.scrapCount, runSeconds: f.runSeconds, downtimeSeconds: f.downtimeSeconds, availability: f.availability, performance: f.performance, quality: f.quality, oee: f.oee };
    });
}

describe('history-subgraph lake reports (local Athena over fixture Parquet)', () => {
  let stack: LocalAwsStack;
  let app: INestApplication;
  let url: string;

  const graphql = async (query: string, variables?: object, identity: Promise<Record<string, string>> = internalIdentity()) => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await identity) }, body: JSON.stringify({ query, variables }) });
    return res.json();
  };
  const entities = (type: string, ids: string[], selection: string, identity?: Promise<Record<string, string>>) =>
    graphql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} { id ${selection} } } }`, { r: ids.map((id) => ({ __typename: type, id })) }, identity);

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    await writeLakeFixtures(stack.lakeDir, EVENTS);
    const config = loadConfig(HistorySubgraphConfigSchema, { AWS_ENDPOINT_URL: stack.endpoint, NODE_ENV: 'test', LOG_LEVEL: 'silent', INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET });
    app = await NestFactory.create(HistorySubgraphModule.forRoot(config), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await stack.stop();
  });

  it('answers Plant, Line and Asset dailyKpis over 90 days with the values computed from the events', async () => {
    const from = FIRST_DAY;
    const to = '2026-05-29';
    const selection = `dailyKpis(from: "${from}", to: "${to}") { ${DAILY} }`;
    const [lines, plants, assets] = await Promise.all([
      entities('Line', ['plt1-l1', 'plt2-l1'], selection),
      entities('Plant', ['plt1'], selection),
      entities('Asset', ['plt1-l1-a2'], selection),
    ]);
    expect(lines.errors).toBeUndefined();
    expect(lines.data._entities[0].dailyKpis).toHaveLength(90);
    expect(lines.data._entities[0].dailyKpis).toEqual(expectedDaily('line', 'plt1-l1', from, to));
    expect(lines.data._entities[1].dailyKpis).toEqual(expectedDaily('line', 'plt2-l1', from, to));
    expect(plants.data._entities[0].dailyKpis).toEqual(expectedDaily('plant', 'plt1', from, to));
    expect(assets.data._entities[0].dailyKpis).toEqual(expectedDaily('asset', 'plt1-l1-a2', from, to));
  });

  it('answers downtimePareto largest reason first with shares and the cumulative share', async () => {
    const body = await entities('Line', ['plt1-l1'], `downtimePareto(from: "2026-03-10", to: "2026-03-20") { reasonCode downtimeSeconds events percent cumulativePercent }`);
    const inRange = EVENTS.filter((e) => e.kind === 'downtime' && e.lineId === 'plt1-l1' && windowInstanceAt('day', e.eventTimeMs).startMs >= dayMs('2026-03-10') && windowInstanceAt('day', e.eventTimeMs).startMs <= dayMs('2026-03-20'));
    const byReason = new Map<string, { seconds: number; events: number }>();
    for (const e of inRange) byReason.set(e.reasonCode!, { seconds: (byReason.get(e.reasonCode!)?.seconds ?? 0) + e.downSeconds, events: (byReason.get(e.reasonCode!)?.events ?? 0) + 1 });
    const total = inRange.reduce((s, e) => s + e.downSeconds, 0);
    const bars = [...byReason.entries()].sort(([ra, a], [rb, b]) => b.seconds - a.seconds || ra.localeCompare(rb));
    let running = 0;
    const expected = bars.map(([reasonCode, { seconds, events }]) => {
      running += seconds;
      return { reasonCode, downtimeSeconds: seconds, events, percent: (100 * seconds) / total, cumulativePercent: (100 * running) / total };
    });
    expect(body.data._entities[0].downtimePareto).toEqual(expected);
    expect(expected.at(-1)!.cumulativePercent).toBeCloseTo(100, 9);
  });

  it('answers Line.shiftReport(date) with the three shifts of the production day', async () => {
    const body = await entities('Line', ['plt1-l1'], `shiftReport(date: "2026-04-02") { shiftStart shiftName goodCount oee topDowntimeReason topDowntimeSeconds }`);
    const shifts = [...countersBy(EVENTS, 'line', 'shift').entries()]
      .filter(([key, v]) => key.startsWith('plt1-l1|') && windowInstanceAt('day', v.start).startMs === dayMs('2026-04-02'))
      .sort(([, a], [, b]) => a.start - b.start)
      .map(([, { start, counters }]) => {
        const f = kpiFiguresOf(counters);
        return { shiftStart: new Date(start).toISOString(), shiftName: ['early', 'late', 'night'][((new Date(start).getUTCHours() + 18) % 24) / 8], goodCount: f.goodCount, oee: f.oee, topDowntimeReason: f.downtimeByReason[0]?.reasonCode ?? null, topDowntimeSeconds: f.downtimeByReason[0]?.seconds ?? null };
      });
    expect(shifts).toHaveLength(3);
    expect(body.data._entities[0].shiftReport).toEqual(shifts);
  });

  it('pages Asset.rawEvents with cursors until every event of the window was seen, in event-time order', async () => {
    const from = '2026-03-05T00:00:00Z';
    const to = '2026-03-07T00:00:00Z';
    const expected = EVENTS.filter((e) => e.assetId === 'plt1-l1-a1' && e.eventTimeMs >= Date.parse(from) && e.eventTimeMs < Date.parse(to))
      .sort((a, b) => a.eventTimeMs - b.eventTimeMs || a.eventId.localeCompare(b.eventId))
      .map((e) => e.eventId);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const body = await entities('Asset', ['plt1-l1-a1'], `rawEvents(from: "${from}", to: "${to}", first: 25, after: ${JSON.stringify(after)}) { edges { cursor node { eventId kind eventTime } } pageInfo { hasNextPage endCursor } }`);
      const connection = body.data._entities[0].rawEvents;
      seen.push(...connection.edges.map((e: { node: { eventId: string } }) => e.node.eventId));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it.each([
    ['a range over 400 days', `Line`, `dailyKpis(from: "2025-01-01", to: "2026-03-01") { day }`, /at most 400/],
    ['a malformed date', `Line`, `dailyKpis(from: "2026-02-30", to: "2026-03-01") { day }`, /must be a date yyyy-MM-dd/],
    ['to before from', `Plant`, `downtimePareto(from: "2026-03-02", to: "2026-03-01") { reasonCode }`, /must not be before from/],
    ['rawEvents over 31 days', `Asset`, `rawEvents(from: "2026-03-01T00:00:00Z", to: "2026-04-02T00:00:00Z") { edges { cursor } }`, /longer than 31 days/],
    ['first over 500', `Asset`, `rawEvents(from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z", first: 501) { edges { cursor } }`, /between 1 and 500/],
    ['a forged cursor', `Asset`, `rawEvents(from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z", after: "' OR 1=1 --") { edges { cursor } }`, /not a cursor/],
  ])('refuses %s with BAD_USER_INPUT naming the limit', async (_name, type, selection, message) => {
    const id = type === 'Asset' ? 'plt1-l1-a1' : type === 'Line' ? 'plt1-l1' : 'plt1';
    const body = await entities(type, [id], selection);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(message);
  });

  it('treats a cursor carrying SQL as a value: nothing before the cursor leaks', async () => {
    // Spliced into the keyset condition, this id would make it true for every row, earlier ones included.
    const hostile = Buffer.from(JSON.stringify(['2026-03-01T08:30:00.000Z', `x' OR asset_id <> 'none`])).toString('base64url');
    const body = await entities('Asset', ['plt1-l1-a1'], `rawEvents(from: "2026-03-01T06:00:00Z", to: "2026-03-01T12:00:00Z", first: 500, after: "${hostile}") { edges { node { eventId } } }`);
    expect(body.errors).toBeUndefined();
    const expected = EVENTS.filter((e) => e.assetId === 'plt1-l1-a1' && e.eventTimeMs > Date.parse('2026-03-01T08:30:00Z') && e.eventTimeMs < Date.parse('2026-03-01T12:00:00Z'))
      .sort((a, b) => a.eventTimeMs - b.eventTimeMs)
      .map((e) => e.eventId);
    expect(expected.length).toBeGreaterThan(0);
    expect(body.data._entities[0].rawEvents.edges.map((e: { node: { eventId: string } }) => e.node.eventId)).toEqual(expected);
  });

  it('filters by the caller’s plants: another plant’s line reads as empty, its own as data', async () => {
    const selection = `dailyKpis(from: "2026-03-01", to: "2026-03-03") { day } downtimePareto(from: "2026-03-01", to: "2026-03-03") { reasonCode }`;
    const partner = internalIdentity(testIdentity('partner', ['plt1']));
    const body = await entities('Line', ['plt1-l1', 'plt2-l1'], selection, partner);
    expect(body.data._entities[0].dailyKpis).toHaveLength(3);
    expect(body.data._entities[1]).toEqual({ id: 'plt2-l1', dailyKpis: [], downtimePareto: [] });
    const events = await entities('Asset', ['plt2-l1-a1'], `rawEvents(from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z") { edges { cursor } }`, internalIdentity(testIdentity('analyst', ['plt1'])));
    expect(events.data._entities[0].rawEvents.edges).toEqual([]);
  });
});
