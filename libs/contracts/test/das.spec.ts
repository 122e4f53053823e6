import { DasNormaliser } from '@plant/contracts';
import { normalisationIssues } from './normalisation-issues';

const normaliser = new DasNormaliser(() => new Date('2026-11-25T08:00:05Z'));
const reading = {
  deviceId: 'das-plt1-l2-press3',
  channel: 1,
  assetRef: 'acme/plt1/plt1-l2/plt1-l2-press3',
  sensor: 'vibration',
  value: 3.2,
  unit: 'mm/s',
  sampledAtMs: Date.parse('2026-11-25T08:00:00.250Z'),
  status: 'ok',
};

const issues = (payload: unknown) => normalisationIssues(normaliser, payload);

describe('DAS normaliser', () => {
  it('maps a reading to a measurement named after the sensor', () => {
    expect(normaliser.normalise(reading)[0]).toMatchObject({
      kind: 'measurement',
      source: 'das',
      assetId: 'plt1-l2-press3',
      measure: 'vibration',
      value: 3.2,
      unit: 'mm/s',
      quality: 'good',
      eventTime: '2026-11-25T08:00:00.250Z',
    });
  });

  it.each([
    ['temperature', 212, '°F', 100, '°C'],
    ['temperature', 300, 'K', 26.85, '°C'],
    ['vibration', 0.5, 'in/s', 12.7, 'mm/s'],
    ['pressure', 100, 'psi', 6.894757, 'bar'],
    ['pressure', 250, 'kPa', 2.5, 'bar'],
    ['motor-current', 1500, 'mA', 1.5, 'A'],
  ])('converts %s %d %s to %d %s', (sensor, value, unit, expected, canonical) => {
    const [event] = normaliser.normalise({ ...reading, sensor, value, unit });
    expect(event).toMatchObject({ measure: sensor, unit: canonical });
    expect((event as { value: number }).value).toBeCloseTo(expected, 5);
  });

  it.each([
    ['out-of-range', 'uncertain'],
    ['sensor-fault', 'bad'],
  ])('maps channel status %s to quality %s', (status, quality) => {
    expect(normaliser.normalise({ ...reading, status })[0]).toMatchObject({ quality });
  });

  it('derives the id from device, channel and sample time', () => {
    const [a] = normaliser.normalise(reading);
    expect(normaliser.normalise({ ...reading, value: 9 })[0].eventId).toBe(a.eventId);
    expect(normaliser.normalise({ ...reading, channel: 2 })[0].eventId).not.toBe(a.eventId);
  });

  it('rejects a unit the sensor cannot be in, listing the allowed units', () => {
    expect(issues({ ...reading, unit: 'bar' })).toEqual([{ path: 'unit', message: 'is "bar"; vibration readings must be in mm/s, in/s' }]);
  });

  it('rejects an unknown sensor, a NaN value and a timestamp in seconds', () => {
    const found = issues({ ...reading, sensor: 'humidity', value: Number.NaN, sampledAtMs: 1764057600 });
    expect(found.map((i) => i.path).sort()).toEqual(['sampledAtMs', 'sensor', 'value']);
    expect(found.find((i) => i.path === 'sampledAtMs')?.message).toBe('must be after 2000-01-01');
  });

  it('rejects an asset reference that is not a full hierarchy path', () => {
    expect(issues({ ...reading, assetRef: 'plt1-l2-press3' })).toEqual([{ path: 'assetRef', message: 'must be enterprise/plant/line/asset' }]);
  });
});
