import { lineOf } from '@plant/adapters';
import type { TrendPoint } from '@plant/domain';
import { parseLine } from '../src/influxdb/line-protocol';

describe('InfluxDB line protocol (adapter writer ↔ local endpoint parser)', () => {
  it('round-trips measure names, tags and string fields with spaces, commas, equals signs and quotes', () => {
    const point: TrendPoint = {
      timeMs: 1_796_000_000_123,
      dimensions: { enterprise: 'acme corp', plant: 'p,1', line: 'l=1', asset: 'press 1', source: 'das' },
      measureName: 'oil temp, inlet',
      values: [
        { name: 'value', type: 'DOUBLE', value: 41.5 },
        { name: 'count', type: 'BIGINT', value: 7 },
        { name: 'unit', type: 'VARCHAR', value: 'deg "C", \\ raw' },
      ],
      version: 1,
      eventId: 'e1',
    };
    expect(parseLine(lineOf(point), 'ms', 0)).toEqual({
      measurement: 'oil temp, inlet',
      tags: { enterprise: 'acme corp', plant: 'p,1', line: 'l=1', asset: 'press 1', source: 'das' },
      fields: { value: { type: 'float', value: 41.5 }, count: { type: 'integer', value: 7 }, unit: { type: 'string', value: 'deg "C", \\ raw' } },
      timeMs: 1_796_000_000_123,
    });
  });

  it('writes whole doubles as floats, not integers, so a field keeps one type', () => {
    const line = lineOf({ timeMs: 1, dimensions: { enterprise: 'e', plant: 'p', line: 'l', asset: 'a', source: 's' }, measureName: 'm', values: [{ name: 'value', type: 'DOUBLE', value: 5 }], version: 1, eventId: 'x' });
    expect(parseLine(line, 'ms', 0).fields.value).toEqual({ type: 'float', value: 5 });
  });

  it('refuses a line without fields, naming it', () => {
    expect(() => parseLine('temperature,asset=a1', 'ms', 0)).toThrow(/unable to parse 'temperature,asset=a1'/);
  });
});
