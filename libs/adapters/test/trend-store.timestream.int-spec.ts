import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { TimestreamQueryClient, QueryCommand } from '@aws-sdk/client-timestream-query';
import { timestreamRecordOf, TimestreamTrendStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import type { TrendPoint } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { timestreamRecordViolation } from '../src/timestream-record-limits';

const now = Date.parse('2026-12-01T10:00:00.000Z');
const day = 24 * 60 * 60_000;

function point(overrides: Partial<TrendPoint> = {}, dimensions: Partial<TrendPoint['dimensions']> = {}): TrendPoint {
  return {
    timeMs: now - 60_000,
    dimensions: { enterprise: 'acme', plant: 'p1', line: 'l1', asset: 'a1', source: 'das', ...dimensions },
    measureName: 'temperature',
    values: [
      { name: 'value', type: 'DOUBLE', value: 71.5 },
      { name: 'quality', type: 'VARCHAR', value: 'good' },
    ],
    version: now,
    eventId: `e-${Math.random()}`,
    ...overrides,
  };
}


describe('Timestream per-record limits (AwsLimits.timestream)', () => {
  const violation = (p: TrendPoint) => timestreamRecordViolation(timestreamRecordOf(p), now, now - 30 * day);

  it('accepts a record within every limit', () => {
    expect(violation(point())).toBeUndefined();
  });

  it.each([
    ['a contract-valid 128-character measure name of 3-byte characters (384 bytes > 256)', point({ measureName: '€'.repeat(128) }), /^measure name takes 384 bytes/],
    ['four ids of 128 four-byte characters (dimensions > 2 KB)', point({}, { enterprise: '😀'.repeat(128), plant: '😀'.repeat(128), line: '😀'.repeat(128), asset: '😀'.repeat(128) }), /^dimensions take \d+ bytes/],
    ['a VARCHAR value over 2,048 characters', point({ values: [{ name: 'unit', type: 'VARCHAR', value: 'u'.repeat(2_049) }] }), /^measure unit has a value of 2049 characters/],
    ['a record over 2 KB in all', point({ measureName: 'm'.repeat(200), values: [{ name: 'note', type: 'VARCHAR', value: 'n'.repeat(1_900) }] }), /^record takes \d+ bytes/],
    ['a time more than 15 min ahead', point({ timeMs: now + 15 * 60_000 + 1 }), /more than 15 min ahead/],
    ['a time older than the table accepts', point({ timeMs: now - 31 * day }), /older than the table's retention allows/],
    ['year 9999', point({ timeMs: Date.parse('9999-12-31T23:59:59.999Z') }), /ahead/],
    ['year 0001', point({ timeMs: Date.parse('0001-01-01T00:00:00Z') }), /older/],
  ])('refuses %s', (_name, p, reason) => {
    expect(violation(p)).toMatch(reason);
  });
});

describe('TimestreamTrendStore: records over a limit are not sent but come back rejected with the reason', () => {
  let stack: LocalAwsStack;
  let client: TimestreamWriteClient;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    client = createClient(TimestreamWriteClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  });
  afterAll(async () => {
    client.destroy();
    await stack.stop();
  });

  it('writes the valid points, rejects the others (the table retention read with DescribeTable: 365 d magnetic)', async () => {
    const clockMs = Date.now();
    const store = new TimestreamTrendStore(client, { databaseName: ResourceNames.timestreamDatabase, tableName: ResourceNames.timestreamTable, clock: () => clockMs });
    const valid = point({ timeMs: clockMs - 60_000, version: clockMs });
    const oldButKept = point({ timeMs: clockMs - 300 * day, version: clockMs, measureName: 'vibration' });
    const tooOld = point({ timeMs: clockMs - 366 * day, version: clockMs });
    const hugeName = point({ timeMs: clockMs - 60_000, version: clockMs, measureName: '€'.repeat(128) });

    const rejected = await store.write([valid, tooOld, oldButKept, hugeName]);

    expect(rejected.map((r) => [r.point.eventId, r.reason.replace(/\(.*\)/, '()')])).toEqual([
      [tooOld.eventId, expect.stringMatching(/^not sent to Timestream: time .* is older than the table's retention allows/)],
      [hugeName.eventId, 'not sent to Timestream: measure name takes 384 bytes, Timestream takes at most 256'],
    ]);
    const query = createClient(TimestreamQueryClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    const out = await query.send(new QueryCommand({ QueryString: `SELECT count(*) FROM "${ResourceNames.timestreamDatabase}"."${ResourceNames.timestreamTable}"` }));
    query.destroy();
    expect(out.Rows?.[0]?.Data?.[0]?.ScalarValue).toBe('2');
  });
});
