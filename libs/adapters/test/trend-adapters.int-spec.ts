import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { InfluxDbConnection, InfluxDbHttpError, InfluxDbTrendQuery, InfluxDbTrendStore, TimestreamTrendQuery, TimestreamTrendStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import type { TrendPoint, TrendQuery, TrendStore } from '@plant/domain';
import { INFLUXDB_TREND_BUCKET, LocalAwsStack, startLocalAws } from '@plant/local-aws';

const table = { databaseName: ResourceNames.timestreamDatabase, tableName: ResourceNames.timestreamTable };
const influx = (endpoint: string, token = 'local-token'): InfluxDbConnection => ({ url: endpoint, token, org: 'plant', bucket: INFLUXDB_TREND_BUCKET });

function point(asset: string, measure: string, timeMs: number, value: number): TrendPoint {
  return {
    timeMs,
    dimensions: { enterprise: 'acme', plant: 'p1', line: 'l1', asset, source: 'das' },
    measureName: measure,
    values: [
      { name: 'value', type: 'DOUBLE', value },
      { name: 'quality', type: 'VARCHAR', value: 'good' },
      { name: 'unit', type: 'VARCHAR', value: 'degC' },
    ],
    version: 1,
    eventId: `${asset}-${measure}-${timeMs}`,
  };
}

/** Both trend stores behind the same ports, each on its local endpoint (issue 13: the trend tests run against both). */
const ADAPTERS: [string, (endpoint: string) => { store: TrendStore; query: TrendQuery }][] = [
  [
    'Timestream for LiveAnalytics',
    (endpoint) => {
      const connection = { region: 'eu-central-1', endpoint };
      return {
        store: new TimestreamTrendStore(createClient(TimestreamWriteClient, connection), table),
        query: new TimestreamTrendQuery(createClient(TimestreamQueryClient, connection), table),
      };
    },
  ],
  ['Timestream for InfluxDB', (endpoint) => ({ store: new InfluxDbTrendStore(influx(endpoint)), query: new InfluxDbTrendQuery(influx(endpoint)) })],
];

describe.each(ADAPTERS)('trend store and query on %s (local endpoint)', (_name, adapters) => {
  let stack: LocalAwsStack;
  let query: TrendQuery;
  const minute = 60_000;
  const start = Math.floor(Date.now() / minute) * minute - 5 * minute;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    const { store, query: trendQuery } = adapters(stack.endpoint);
    const points: TrendPoint[] = [];
    for (let i = 0; i < 4; i++) {
      // two readings per minute for a1 (10+i and 20+i), one for a2, one vibration reading a1 must not mix in
      points.push(point('a1', 'temperature', start + i * minute, 10 + i), point('a1', 'temperature', start + i * minute + 30_000, 20 + i));
      points.push(point('a2', 'temperature', start + i * minute, 50));
      points.push(point('a1', 'vibration', start + i * minute, 999));
    }
    expect(await store.write(points)).toEqual([]);
    // A replay of the same points (at-least-once delivery) is accepted and changes nothing.
    expect(await store.write(points)).toEqual([]);
    query = trendQuery;
  });
  afterAll(() => stack.stop());

  it('aggregates one measure per asset into buckets with avg, min, max and count', async () => {
    const [a1] = await query.series([{ assetId: 'a1', measure: 'temperature', lastSeconds: 3_600, bucketSeconds: 60 }]);
    expect(a1.unit).toBe('degC');
    expect(a1.points).toHaveLength(4);
    expect(a1.points[0]).toEqual({ time: new Date(start).toISOString(), avg: 15, min: 10, max: 20, count: 2 });
    expect(a1.points[3]).toMatchObject({ avg: 18, min: 13, max: 23, count: 2 });
  });

  it('answers a batch of assets in request order, with empty points for an asset without data', async () => {
    const series = await query.series([
      { assetId: 'a2', measure: 'temperature', lastSeconds: 3_600, bucketSeconds: 120 },
      { assetId: 'nobody', measure: 'temperature', lastSeconds: 3_600, bucketSeconds: 120 },
      { assetId: 'a1', measure: 'vibration', lastSeconds: 3_600, bucketSeconds: 3_600 },
    ]);
    expect(series.map((s) => s.assetId)).toEqual(['a2', 'nobody', 'a1']);
    expect(series[0].points.every((p) => p.avg === 50)).toBe(true);
    expect(series[1].points).toEqual([]);
    expect(series[2].points.reduce((n, p) => n + p.count, 0)).toBe(4);
  });

  it('leaves out points older than the requested range', async () => {
    const [recent] = await query.series([{ assetId: 'a1', measure: 'temperature', lastSeconds: 150, bucketSeconds: 60 }]);
    expect(recent.points.length).toBeLessThan(4);
  });
});

describe('InfluxDbTrendStore failures (local endpoint)', () => {
  let stack: LocalAwsStack;
  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
  });
  afterAll(() => stack.stop());

  it('reports a batch InfluxDB refuses as invalid (a field type conflict) for the dead letters, with its reason', async () => {
    const store = new InfluxDbTrendStore(influx(stack.endpoint));
    expect(await store.write([point('a9', 'pressure', Date.now() - 1_000, 1.5)])).toEqual([]);
    const conflicting: TrendPoint = { ...point('a9', 'pressure', Date.now(), 2), values: [{ name: 'value', type: 'VARCHAR', value: 'high' }] };
    const rejected = await store.write([conflicting]);
    expect(rejected).toEqual([{ point: conflicting, reason: expect.stringMatching(/InfluxDB rejected the write: .*HTTP 400.*field type conflict/) }]);
  });

  it('throws (retryable, visible) when the token is refused, instead of dead-lettering the points', async () => {
    const store = new InfluxDbTrendStore(influx(stack.endpoint, ''));
    await expect(store.write([point('a9', 'pressure', Date.now(), 1)])).rejects.toBeInstanceOf(InfluxDbHttpError);
  });

  it('throws when the query cannot be answered', async () => {
    const query = new InfluxDbTrendQuery({ ...influx(stack.endpoint), bucket: 'missing' });
    await expect(query.series([{ assetId: 'a9', measure: 'pressure', lastSeconds: 60, bucketSeconds: 60 }])).rejects.toThrow(/HTTP 404/);
  });
});
