import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { InfluxDbTrendAggregates, InfluxDbTrendStore, TimestreamTrendAggregates, TimestreamTrendStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import {
  partialsOfSamples,
  RichTrendSeries,
  sampleWindowOf,
  TrendAggregateQuery,
  TrendPoint,
  TrendSample,
  TrendSpec,
  trendsByGroup,
  TrendStore,
  TREND_AGGREGATES,
} from '@plant/domain';
import { INFLUXDB_TREND_BUCKET, LocalAwsStack, startLocalAws } from '@plant/local-aws';

const table = { databaseName: ResourceNames.timestreamDatabase, tableName: ResourceNames.timestreamTable };
const HIERARCHY: Record<string, { plant: string; line: string }> = { a1: { plant: 'p1', line: 'l1' }, a2: { plant: 'p1', line: 'l1' }, a3: { plant: 'p2', line: 'l2' }, a4: { plant: 'p2', line: 'l2' } };
/** p1 is on UTC+05:30, so its hour buckets start at half past (UTC); p2 is on UTC. */
const ZONES = { p1: 330 };
const QUALITIES = ['good', 'good', 'good', 'uncertain', 'bad'];

/** Deterministic irregular readings over 3 hours, mixed quality: a1 every 1-90 s, a2 and a3 sparse (gaps of up to 15 and 25 minutes). */
const MAX_GAP_MS: Record<string, number> = { a1: 89_000, a2: 15 * 60_000, a3: 25 * 60_000 };
/** a4: fixed readings (minute offsets) whose value before the range holds into its first, partial bucket. */
const A4_MINUTES = [8, 18, 19.5, 47, 95];
const A4_VALUES = [100, 0, 200, 50, 10];
function readings(startMs: number): { points: TrendPoint[]; samples: (TrendSample & { line: string })[] } {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const points: TrendPoint[] = [];
  const samples: (TrendSample & { line: string })[] = [];
  for (const asset of Object.keys(HIERARCHY)) {
    const { plant, line } = HIERARCHY[asset];
    const times: number[] = [];
    if (asset === 'a4') times.push(...A4_MINUTES.map((m) => startMs + m * 60_000));
    else for (let t = startMs + Math.floor(random() * 60_000); t < startMs + 3 * 3_600_000; t += 1_000 + Math.floor(random() * MAX_GAP_MS[asset])) times.push(t);
    for (const t of times) {
      const value = asset === 'a4' ? A4_VALUES[A4_MINUTES.indexOf((t - startMs) / 60_000)] : Math.round(random() * 1_000) / 10;
      const quality = QUALITIES[Math.floor(random() * QUALITIES.length)];
      points.push({
        timeMs: t,
        dimensions: { enterprise: 'acme', plant, line, asset, source: 'pi' },
        measureName: 'temperature',
        values: [
          { name: 'value', type: 'DOUBLE', value },
          { name: 'quality', type: 'VARCHAR', value: quality },
          { name: 'unit', type: 'VARCHAR', value: 'degC' },
        ],
        version: 1,
        eventId: `${asset}-${t}`,
      });
      samples.push({ seriesId: asset, assetId: asset, plantId: plant, line, timeMs: t, value, quality, unit: 'degC' });
    }
  }
  return { points, samples };
}

interface Backend {
  store: TrendStore;
  query: TrendAggregateQuery;
  /** Backend calls so far (Timestream: QueryCommand sends; InfluxDB: /query requests). */
  calls: () => number;
}

const BACKENDS: [string, (endpoint: string) => Backend][] = [
  [
    'Timestream for LiveAnalytics',
    (endpoint) => {
      const connection = { region: 'eu-central-1', endpoint };
      const client = createClient(TimestreamQueryClient, connection);
      const send = jest.spyOn(client, 'send');
      return {
        store: new TimestreamTrendStore(createClient(TimestreamWriteClient, connection), table),
        query: new TimestreamTrendAggregates(client, table),
        calls: () => send.mock.calls.length,
      };
    },
  ],
  [
    'Timestream for InfluxDB',
    (endpoint) => {
      const connection = { url: endpoint, token: 'local', org: 'plant', bucket: INFLUXDB_TREND_BUCKET };
      const fetchSpy = jest.spyOn(globalThis, 'fetch');
      return {
        store: new InfluxDbTrendStore(connection),
        query: new InfluxDbTrendAggregates(connection),
        calls: () => fetchSpy.mock.calls.filter(([url]) => String(url).includes('/query')).length,
      };
    },
  ],
];

describe.each(BACKENDS)('richer trends on %s (local endpoint) equal the reference aggregates', (_name, backendOf) => {
  let stack: LocalAwsStack;
  let backend: Backend;
  let samples: (TrendSample & { line: string })[];
  const hour = 3_600_000;
  const start = Math.floor(Date.now() / hour) * hour - 4 * hour;
  // an unaligned range inside the data: the first bucket is partial and starts with a carried-in value
  const fromMs = start + 17 * 60_000 + 13_000;
  const toMs = start + 2 * hour + 41 * 60_000;
  const spec = (over: Partial<TrendSpec>): TrendSpec => ({
    subject: 'asset',
    subjectId: 'a1',
    measure: 'temperature',
    fromMs,
    toMs,
    bucketSeconds: 600,
    aggregates: [...TREND_AGGREGATES].sort(),
    fill: 'NONE',
    ...over,
  });

  /** What the reference computes from the written samples, with the caller's plant filter. */
  const reference = (specs: TrendSpec[], plantIds?: string[]) =>
    trendsByGroup(specs, ZONES, async (group) => {
      const window = sampleWindowOf(group);
      const dimension = (s: TrendSample & { line: string }) => (group.subject === 'asset' ? s.assetId : group.subject === 'line' ? s.line : s.plantId);
      const chosen = samples
        .filter((s) => group.subjectIds.includes(dimension(s)) && (!plantIds || plantIds.includes(s.plantId)) && s.timeMs >= window.fromMs && s.timeMs < window.toMs)
        .map((s) => ({ ...s, seriesId: dimension(s) }));
      return partialsOfSamples(chosen, group, ZONES);
    });

  const expectSameSeries = (actual: RichTrendSeries[], expected: RichTrendSeries[]) => {
    expect(actual.map((s) => s.points.length)).toEqual(expected.map((s) => s.points.length));
    actual.forEach((series, i) => {
      expect(series.unit).toBe(expected[i].unit);
      series.points.forEach((point, j) => {
        const want = expected[i].points[j];
        for (const [key, value] of Object.entries(want)) {
          if (typeof value === 'number') expect([key, (point as unknown as Record<string, number>)[key]]).toEqual([key, expect.closeTo(value, 6)]);
          else expect([key, (point as unknown as Record<string, unknown>)[key]]).toEqual([key, value]);
        }
      });
    });
  };

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    backend = backendOf(stack.endpoint);
    const data = readings(start);
    samples = data.samples;
    for (let i = 0; i < data.points.length; i += 100) expect(await backend.store.write(data.points.slice(i, i + 100))).toEqual([]);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await stack.stop();
  });

  it('answers every aggregate of a batch of assets like the reference, with one backend query', async () => {
    const specs = ['a1', 'a2', 'a3', 'a4', 'nobody'].map((subjectId) => spec({ subjectId }));
    const before = backend.calls();
    const actual = await backend.query.trends(specs, {}, ZONES);
    expect(backend.calls() - before).toBe(1);
    const expected = await reference(specs);
    expect(expected[0].points.length).toBeGreaterThan(10);
    expect(actual[4].points).toEqual([]);
    // a4: 100 held from minute 8 until its reading at minute 18, inside the range from 17:13
    expect(actual[3].points[0]).toMatchObject({ count: 2, timeWeightedAvg: expect.closeTo((100 * 47 + 0 * 90 + 200 * 30) / 167, 6) });
    expectSameSeries(actual, expected);
  });

  it('aligns hour buckets to the plant’s zone (UTC+05:30 starts at half past) and pools a line’s assets', async () => {
    const specs = [spec({ subject: 'line', subjectId: 'l1', bucketSeconds: 3_600, fill: 'LINEAR' }), spec({ subject: 'line', subjectId: 'l2', bucketSeconds: 3_600 })];
    const actual = await backend.query.trends(specs, {}, ZONES);
    expect(actual[0].utcOffsetMinutes).toBe(330);
    expect(actual[0].points.every((p) => new Date(p.time).getUTCMinutes() === 30)).toBe(true);
    expect(actual[1].points.every((p) => new Date(p.time).getUTCMinutes() === 0)).toBe(true);
    expectSameSeries(actual, await reference(specs));
  });

  it('answers a plant over all its assets', async () => {
    const specs = [spec({ subject: 'plant', subjectId: 'p1', aggregates: ['COUNT', 'GOOD_PERCENT', 'TIME_WEIGHTED_AVG'] })];
    const actual = await backend.query.trends(specs, {}, ZONES);
    expect(actual[0].points[0].avg).toBeNull();
    expectSameSeries(actual, await reference(specs));
  });

  it('reads nothing of a plant outside the caller’s scope', async () => {
    const specs = [spec({ subject: 'line', subjectId: 'l1' }), spec({ subjectId: 'a3' })];
    const actual = await backend.query.trends(specs, { plantIds: ['p2'] }, ZONES);
    expect(actual[0].points).toEqual([]);
    expectSameSeries(actual, await reference(specs, ['p2']));
    expect((await backend.query.trends(specs, { plantIds: [] }, ZONES)).every((s) => s.points.length === 0)).toBe(true);
  });
});
