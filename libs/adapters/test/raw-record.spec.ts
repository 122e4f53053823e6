import { AwsLimits } from '@plant/config';
import type { PlantEvent } from '@plant/contracts';
import { rawRecordOf } from '@plant/adapters';

const event: PlantEvent = {
  schemaVersion: 1,
  eventId: 'evt-1',
  source: 'das',
  enterpriseId: 'ent-1',
  plantId: 'plant-1',
  lineId: 'line-1',
  assetId: 'asset-1',
  eventTime: '2026-12-01T10:00:00.000Z',
  ingestTime: '2026-12-01T10:00:00.000Z',
  kind: 'measurement',
  measure: 'temperature',
  value: 71.5,
  quality: 'good',
};
/** A contract-valid event of exactly `size` bytes: an unknown field (the contract ignores it) pads it. */
function validEventOf(size: number): Buffer {
  const shell = JSON.stringify({ ...event, padding: '' });
  return Buffer.from(JSON.stringify({ ...event, padding: 'p'.repeat(size - shell.length) }));
}

describe('raw zone size rule', () => {
  it('stores an event within the Firehose record limit as it arrived', () => {
    const data = validEventOf(AwsLimits.firehose.recordMaxBytes);
    expect(rawRecordOf({ source: 'das', eventTime: event.eventTime, data })).toBe(data);
  });

  it.each([AwsLimits.firehose.recordMaxBytes + 1, AwsLimits.kinesis.recordMaxBytes])(
    'stores a valid %i-byte event as its contract fields, marked with its original size',
    (size) => {
      const data = validEventOf(size);
      expect(data.length).toBe(size);
      const stored = rawRecordOf({ source: 'das', eventTime: event.eventTime, data });
      expect(stored.length).toBeLessThan(1_000);
      expect(JSON.parse(Buffer.from(stored).toString())).toEqual({ ...event, rawOriginalBytes: size });
    },
  );
});
