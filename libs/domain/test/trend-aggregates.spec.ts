import {
  finishTrend,
  InvalidArgumentError,
  partialsOfSamples,
  percentile,
  TrendSample,
  TrendSpec,
  trendSpecOf,
  trendsByGroup,
} from '@plant/domain';

const T0 = Date.parse('2026-11-30T00:00:00Z');
const MIN = 60_000;
const sample = (timeMs: number, value: number, quality = 'good', assetId = 'a1', seriesId = assetId, plantId = 'p1'): TrendSample => ({
  seriesId,
  assetId,
  plantId,
  timeMs,
  value,
  quality,
});
const spec = (over: Partial<TrendSpec> = {}): TrendSpec => ({
  subject: 'asset',
  subjectId: 'a1',
  measure: 'temperature',
  fromMs: T0,
  toMs: T0 + 3 * MIN,
  bucketSeconds: 60,
  aggregates: ['AVG', 'COUNT', 'GOOD_PERCENT', 'MAX', 'MIN', 'P95', 'TIME_WEIGHTED_AVG'],
  fill: 'NONE',
  ...over,
});
const trendOf = (samples: TrendSample[], s = spec(), zones = {}) => finishTrend(s, partialsOfSamples(samples, s, zones), zones);

describe('trend aggregates', () => {
  it('weights each value by how long it held (step semantics) while AVG weights samples equally', () => {
    // 10 for 45 s, then 20 for the last 15 s of the minute
    const [p] = trendOf([sample(T0, 10), sample(T0 + 45_000, 20)], spec({ toMs: T0 + MIN })).points;
    expect(p.avg).toBe(15);
    expect(p.timeWeightedAvg).toBe(12.5);
  });

  it('starts a bucket’s first segment with the last value before the bucket', () => {
    // minute 1 starts with 10 held from minute 0 for 30 s, then 40 for 30 s
    const points = trendOf([sample(T0, 10), sample(T0 + MIN + 30_000, 40)]).points;
    expect(points[1].time).toBe(new Date(T0 + MIN).toISOString());
    expect(points[1].timeWeightedAvg).toBe(25);
    expect(points[1].avg).toBe(40);
  });

  it('carries a value from one bucket before the range into its first bucket, without counting it', () => {
    const [p] = trendOf([sample(T0 - 30_000, 100), sample(T0 + 30_000, 0)], spec({ toMs: T0 + MIN })).points;
    expect(p.count).toBe(1);
    expect(p.timeWeightedAvg).toBe(50);
  });

  it('weights only the known part when no value before the bucket is known', () => {
    const [p] = trendOf([sample(T0 + 30_000, 8)], spec({ toMs: T0 + MIN })).points;
    expect(p.timeWeightedAvg).toBe(8);
  });

  it('pools the held values of every asset of a line', () => {
    const s = spec({ subject: 'line', subjectId: 'l1', toMs: T0 + MIN });
    // a1 holds 10 for 60 s, a2 holds 40 for 30 s: (600 + 1200) / 90
    const [p] = trendOf([sample(T0, 10, 'good', 'a1', 'l1'), sample(T0 + 30_000, 40, 'good', 'a2', 'l1')], s).points;
    expect(p.timeWeightedAvg).toBeCloseTo(20, 10);
    expect(p.avg).toBe(25);
    expect(p.count).toBe(2);
  });

  it('computes P95 by linear interpolation between ranks', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21], 0.95)).toBe(20);
    expect(percentile([10, 0], 0.95)).toBe(9.5);
    const values = Array.from({ length: 60 }, (_, i) => i);
    const [p] = trendOf(values.map((v) => sample(T0 + v * 1000, v)), spec({ toMs: T0 + MIN })).points;
    expect(p.p95).toBeCloseTo(56.05, 10);
  });

  it('counts sample quality and gives the percentage of good samples', () => {
    const samples = [sample(T0, 1, 'good'), sample(T0 + 1000, 1, 'good'), sample(T0 + 2000, 1, 'bad'), sample(T0 + 3000, 1, 'uncertain'), { ...sample(T0 + 4000, 1), quality: null }];
    const [p] = trendOf(samples, spec({ toMs: T0 + MIN })).points;
    expect(p).toMatchObject({ count: 5, goodCount: 2, badCount: 1, uncertainCount: 2, goodPercent: 40 });
  });

  it('leaves empty buckets out with fill NONE, repeats the previous bucket with PREVIOUS, interpolates with LINEAR', () => {
    const samples = [sample(T0, 10), sample(T0 + 3 * MIN, 40)];
    const s = spec({ toMs: T0 + 4 * MIN });
    expect(trendOf(samples, s).points.map((p) => p.avg)).toEqual([10, 40]);
    const previous = trendOf(samples, { ...s, fill: 'PREVIOUS' }).points;
    expect(previous.map((p) => [p.avg, p.count, p.filled])).toEqual([
      [10, 1, false],
      [10, 0, true],
      [10, 0, true],
      [40, 1, false],
    ]);
    expect(trendOf(samples, { ...s, fill: 'LINEAR' }).points.map((p) => p.avg)).toEqual([10, 20, 30, 40]);
  });

  it('leaves buckets before the first sample empty with any fill', () => {
    const points = trendOf([sample(T0 + 2 * MIN, 5)], spec({ fill: 'LINEAR' })).points;
    expect(points.map((p) => p.avg)).toEqual([null, null, 5]);
  });

  it('starts day buckets at the plant’s local midnight (UTC+05:30)', () => {
    const zones = { p1: 330 };
    const localMidnight = Date.parse('2026-11-29T18:30:00Z'); // 2026-11-30 00:00 in UTC+05:30
    const s = spec({ fromMs: localMidnight, toMs: localMidnight + 2 * 86_400_000, bucketSeconds: 86_400 });
    const samples = [sample(localMidnight + 1000, 1), sample(localMidnight + 86_399_000, 2), sample(localMidnight + 86_401_000, 3)];
    const series = trendOf(samples, s, zones);
    expect(series.utcOffsetMinutes).toBe(330);
    expect(series.points.map((p) => [p.time, p.count])).toEqual([
      ['2026-11-29T18:30:00.000Z', 2],
      ['2026-11-30T18:30:00.000Z', 1],
    ]);
    // in UTC the last two samples fall into the same day
    expect(trendOf(samples, s).points.map((p) => [p.time, p.count])).toEqual([
      ['2026-11-29T00:00:00.000Z', 1],
      ['2026-11-30T00:00:00.000Z', 2],
    ]);
  });

  it('answers only the aggregates asked for', async () => {
    const [series] = await trendsByGroup([spec({ aggregates: ['MAX'] })], {}, async () => partialsOfSamples([sample(T0, 3)], spec(), {}));
    expect(series.points[0]).toMatchObject({ max: 3, avg: null, min: null, p95: null, timeWeightedAvg: null, count: 1 });
  });

  it('asks the backend once per group of specs that differ only in subject and fill', async () => {
    const groups: string[][] = [];
    await trendsByGroup([spec(), spec({ subjectId: 'a2', fill: 'LINEAR' }), spec({ measure: 'vibration' })], {}, async (g) => {
      groups.push(g.subjectIds);
      return [];
    });
    expect(groups.sort()).toEqual([['a1'], ['a1', 'a2']]);
  });
});

describe('trend specs', () => {
  const now = T0;
  it('takes from/to or last, and refuses both', () => {
    expect(trendSpecOf('asset', 'a1', { measure: 'm', last: '7d', bucket: '1m' }, now)).toMatchObject({ fromMs: now - 7 * 86_400_000, toMs: now, fill: 'NONE' });
    expect(trendSpecOf('line', 'l1', { measure: 'm', from: '2026-11-29T00:00:00Z', to: '2026-11-29T06:00:00+01:00', bucket: '1h' }, now)).toMatchObject({
      fromMs: Date.parse('2026-11-29T00:00:00Z'),
      toMs: Date.parse('2026-11-29T05:00:00Z'),
    });
    expect(() => trendSpecOf('asset', 'a1', { measure: 'm', last: '1h', from: '2026-11-29T00:00:00Z', bucket: '1m' }, now)).toThrow(InvalidArgumentError);
    expect(() => trendSpecOf('asset', 'a1', { measure: 'm', from: 'yesterday', bucket: '1m' }, now)).toThrow(/^from: "yesterday" is not an ISO-8601 time/);
    expect(() => trendSpecOf('asset', 'a1', { measure: 'm', from: '2026-11-29T00:00:00Z', to: '2026-11-28T00:00:00Z', bucket: '1m' }, now)).toThrow('to: must be after from');
  });

  it('allows a 7-day 1-minute trend and refuses more buckets than the limit, naming it', () => {
    expect(() => trendSpecOf('asset', 'a1', { measure: 'm', last: '7d', bucket: '1m' }, now)).not.toThrow();
    expect(() => trendSpecOf('asset', 'a1', { measure: 'm', last: '7d', bucket: '10s' }, now)).toThrow('bucket: gives 60481 buckets, more than the limit of 50000');
    expect(() => trendSpecOf('asset', 'a1', { measure: 'm', last: '32d', bucket: '1d' }, now)).toThrow(/^last: the range must be at most 31d/);
  });

  it('refuses an empty aggregate list and ids that are not ids', () => {
    expect(() => trendSpecOf('asset', 'a1', { measure: 'm', bucket: '1m', aggregates: [] }, now)).toThrow(/^aggregates:/);
    expect(() => trendSpecOf('asset', "a1' OR 1=1", { measure: 'm', bucket: '1m' }, now)).toThrow(/^id:/);
  });
});
