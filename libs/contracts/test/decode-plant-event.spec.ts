import { decodePlantEvent, deterministicEventId, PlantEvent } from '@plant/contracts';

const event: PlantEvent = {
  schemaVersion: 1,
  eventId: deterministicEventId('ampla-iqt', ['production', 'acme.plt1.l1.a1', 1]),
  source: 'ampla-iqt',
  enterpriseId: 'acme',
  plantId: 'plt1',
  lineId: 'l1',
  assetId: 'a1',
  eventTime: '2026-11-25T08:00:00.000Z',
  ingestTime: '2026-11-25T08:00:01.000Z',
  kind: 'production',
  goodCount: 5,
  scrapCount: 0,
  idealCycleSeconds: 4,
};
const bytes = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const reasonOf = (input: Uint8Array) => {
  const result = decodePlantEvent(input);
  if (result.ok) throw new Error('decoded');
  return result.reason;
};

describe('decodePlantEvent', () => {
  it('decodes a valid event', () => {
    expect(decodePlantEvent(bytes(event))).toEqual({ ok: true, event });
  });

  it.each([
    ['broken JSON', bytes('{"schemaVersion":1,"kind":"produ'), /^not valid JSON/],
    ['empty bytes', new Uint8Array(0), /^not valid JSON/],
    ['invalid UTF-8', new Uint8Array([0xff, 0xfe, 0x00]), /^not valid UTF-8$/],
    ['a JSON number', bytes('42'), /^not a JSON object but number$/],
    ['JSON null', bytes('null'), /^not a JSON object but null$/],
    ['a JSON array', bytes([event]), /^not a JSON object but an array$/],
    ['no schemaVersion', bytes({ ...event, schemaVersion: undefined }), /^schemaVersion is missing$/],
    ['an unknown schemaVersion', bytes({ ...event, schemaVersion: 99 }), /^unknown schemaVersion 99 \(this consumer reads 1\)$/],
    ['a string schemaVersion', bytes({ ...event, schemaVersion: '1' }), /^unknown schemaVersion "1"/],
    ['a negative count', bytes({ ...event, goodCount: -4 }), /goodCount: must not be negative/],
    ['a missing field', bytes({ ...event, eventTime: undefined }), /eventTime: /],
    ['an unknown kind', bytes({ ...event, kind: 'teleport' }), /kind: /],
    ['a reading DynamoDB cannot store (1e-300)', bytes({ ...event, kind: 'measurement', measure: 'm', quality: 'good', value: 1e-300 }), /value: must be 0 or between 1e-120 and 1e\+120 in magnitude/],
    ['a reading of 1e200', bytes({ ...event, kind: 'measurement', measure: 'm', quality: 'good', value: -1e200 }), /value: must be 0 or between/],
    ['an ideal cycle of 1e300 s', bytes({ ...event, idealCycleSeconds: 1e300 }), /idealCycleSeconds: must be at most 86400/],
    ['2 million parts in one event', bytes({ ...event, goodCount: 2_000_000 }), /goodCount: must be at most 1000000/],
    ['a time with 1,000 fraction digits', bytes({ ...event, eventTime: `2026-11-25T08:00:00.${'1'.repeat(1_000)}Z` }), /eventTime: must be at most 35 characters/],
  ])('refuses %s with the reason, without throwing', (_name, input, reason) => {
    expect(reasonOf(input)).toMatch(reason);
  });

  it('accepts times up to nanosecond precision with an offset (35 characters)', () => {
    const precise = { ...event, eventTime: '2026-11-25T09:00:00.123456789+01:00' };
    expect(decodePlantEvent(bytes(precise))).toEqual({ ok: true, event: precise });
  });

  it('names the bytes it could not parse, shortened', () => {
    expect(reasonOf(bytes(`{${'x'.repeat(500)}`))).toMatch(/…"$/);
  });

  it('quotes a huge unknown schemaVersion shortened (a 1 MB value must not make a 1 MB reason)', () => {
    const reason = reasonOf(bytes({ ...event, schemaVersion: 'v'.repeat(1_000_000) }));
    expect(reason).toMatch(/^unknown schemaVersion "v+… \(this consumer reads 1\)$/);
    expect(reason.length).toBeLessThan(200);
  });
});

describe('deterministicEventId', () => {
  it('is the RFC 4122 version-5 UUID of source and key, pinned (a change re-keys every stored event)', () => {
    const id = deterministicEventId('pi-historian', ['PLT1.L2.PRESS3.TEMP', '2026-11-25T08:00:00.000Z']);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).toBe('5f49ada4-e163-5809-918c-952fdf26287a');
  });

  it('does not collide when key parts shift a separator', () => {
    expect(deterministicEventId('das', ['a|b', 'c'])).not.toBe(deterministicEventId('das', ['a', 'b|c']));
    expect(deterministicEventId('das', ['x'])).not.toBe(deterministicEventId('pi-historian', ['x']));
  });
});
