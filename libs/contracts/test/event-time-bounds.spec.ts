import { DEFAULT_EVENT_TIME_BOUNDS, eventTimeViolation } from '@plant/contracts';

const ingest = Date.parse('2026-12-01T10:00:00.000Z');
const bounds = { futureToleranceMs: 5 * 60_000, maxAgeMs: 7 * 24 * 60 * 60_000 };
const at = (eventTime: string, ingestTime = '2026-12-01T10:00:00.000Z') => eventTimeViolation({ eventTime, ingestTime }, ingest, bounds);

describe('eventTimeViolation: event times bounded against the ingest time', () => {
  it('accepts times inside the bounds, the bounds themselves included', () => {
    expect(at('2026-12-01T09:59:00.000Z')).toBeUndefined();
    expect(at('2026-12-01T10:05:00.000Z')).toBeUndefined();
    expect(at('2026-11-24T10:00:00.000Z')).toBeUndefined();
    expect(at('2026-12-01T12:00:00+02:00')).toBeUndefined();
  });

  it('refuses an eventTime beyond the future tolerance, naming field, distance and bound', () => {
    expect(at('2026-12-01T10:05:00.001Z')).toBe(
      'eventTime 2026-12-01T10:05:00.001Z is 5 min after the ingest time 2026-12-01T10:00:00.000Z (at most 5 min accepted)',
    );
  });

  it('refuses an eventTime older than the maximum age', () => {
    expect(at('2026-11-24T09:59:59.999Z')).toMatch(/^eventTime 2026-11-24T09:59:59.999Z is 7 d before the ingest time .* \(at most 7 d accepted\)$/);
  });

  it.each(['0001-01-01T00:00:00Z', '2200-01-01T00:00:00Z', '2999-12-31T23:59:59Z', '9999-12-31T23:59:59.999Z'])('refuses the contract-valid but absurd time %s', (time) => {
    expect(at(time)).toMatch(/^eventTime /);
  });

  it('refuses an absurd ingestTime too (it becomes the trend record version)', () => {
    expect(at('2026-12-01T10:00:00Z', '9999-01-01T00:00:00Z')).toMatch(/^ingestTime 9999-01-01T00:00:00Z is \d+ d after/);
  });

  it('defaults: 5 minutes ahead, 7 days back', () => {
    expect(DEFAULT_EVENT_TIME_BOUNDS).toEqual(bounds);
  });
});
