import { NormalisationError, PiHistorianNormaliser, PiTagTable, PlantEvent } from '@plant/contracts';

const clock = () => new Date('2026-11-25T08:00:05.000Z');
const tags = new PiTagTable({
  'PLT1.L2.PRESS3.TEMP': {
    enterpriseId: 'acme',
    plantId: 'plt1',
    lineId: 'plt1-l2',
    assetId: 'plt1-l2-press3',
    measure: 'process-temperature',
    unit: '°C',
  },
});
const normaliser = new PiHistorianNormaliser(tags, clock);
const value = { tag: 'PLT1.L2.PRESS3.TEMP', Timestamp: '2026-11-25T09:00:00+01:00', Value: 71.25, UnitsAbbreviation: '°C', Good: true, Questionable: false };

function rejection(payload: unknown): NormalisationError {
  try {
    normaliser.normalise(payload);
  } catch (err) {
    if (err instanceof NormalisationError) return err;
    throw err;
  }
  throw new Error('payload was accepted');
}

describe('PI Historian normaliser', () => {
  it('maps a tag value to a measurement of the mapped asset, with UTC event time and the clock as ingest time', () => {
    const [event] = normaliser.normalise(value);
    expect(PlantEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      kind: 'measurement',
      source: 'pi-historian',
      enterpriseId: 'acme',
      plantId: 'plt1',
      lineId: 'plt1-l2',
      assetId: 'plt1-l2-press3',
      measure: 'process-temperature',
      value: 71.25,
      unit: '°C',
      quality: 'good',
      eventTime: '2026-11-25T08:00:00.000Z',
      ingestTime: '2026-11-25T08:00:05.000Z',
    });
  });

  it('gives the same record the same id, even with the timestamp written in another offset, and another value time another id', () => {
    const [a] = normaliser.normalise(value);
    const [b] = normaliser.normalise({ ...value, tag: 'plt1.l2.press3.temp', Timestamp: '2026-11-25T08:00:00Z' });
    const [c] = normaliser.normalise({ ...value, Timestamp: '2026-11-25T08:00:01Z' });
    expect(b.eventId).toBe(a.eventId);
    expect(c.eventId).not.toBe(a.eventId);
  });

  it.each([
    [{ Good: false }, 'bad'],
    [{ Questionable: true }, 'uncertain'],
    [{ Substituted: true }, 'uncertain'],
  ])('maps the PI flags %j to quality %s', (flags, quality) => {
    expect(normaliser.normalise({ ...value, ...flags })[0]).toMatchObject({ quality });
  });

  it('takes the state code of a non-system digital state as the value', () => {
    expect(normaliser.normalise({ ...value, Value: { Name: 'Open', Value: 1, IsSystem: false } })[0]).toMatchObject({ value: 1 });
  });

  it('rejects an unknown tag, naming the tag', () => {
    const err = rejection({ ...value, tag: 'PLT9.L1.X.TEMP' });
    expect(err.source).toBe('pi-historian');
    expect(err.issues).toEqual([{ path: 'tag', message: 'unknown PI tag "PLT9.L1.X.TEMP": it is not in the tag mapping table' }]);
  });

  it('rejects a system digital state, which carries no reading', () => {
    const err = rejection({ ...value, Value: { Name: 'I/O Timeout', Value: 246, IsSystem: true } });
    expect(err.issues[0]).toEqual({ path: 'Value', message: 'is the system digital state "I/O Timeout", which carries no reading' });
  });

  it('rejects a unit that contradicts the tag table', () => {
    expect(rejection({ ...value, UnitsAbbreviation: '°F' }).issues[0].path).toBe('UnitsAbbreviation');
  });

  it('reports every broken field with its rule', () => {
    const err = rejection({ tag: '', Timestamp: 'yesterday', Value: Number.POSITIVE_INFINITY, Good: 'yes' });
    const paths = err.issues.map((i) => i.path).sort();
    expect(paths).toEqual(['Good', 'Timestamp', 'Value', 'tag']);
    expect(err.issues.find((i) => i.path === 'Timestamp')?.message).toMatch(/ISO-8601/);
    expect(err.message).toMatch(/^pi-historian payload rejected: /);
  });

  it('rejects a payload that is not an object', () => {
    expect(rejection('71.2').issues).toEqual([{ path: '', message: expect.stringMatching(/expected object/) }]);
  });

  it('refuses a tag table with an invalid or duplicate entry', () => {
    const mapping = { enterpriseId: 'acme', plantId: 'p', lineId: 'l', assetId: 'a', measure: 'm' };
    expect(() => new PiTagTable({ A: { ...mapping, assetId: '' } })).toThrow(/PI tag table entry A is invalid/);
    expect(() => new PiTagTable([['a', mapping], ['A', mapping]])).toThrow(/lists A twice/);
  });

  it('rejects a mapping whose ids break the event contract, naming the event field', () => {
    const long = new PiTagTable({ T: { enterpriseId: 'acme', plantId: 'p', lineId: 'l', assetId: 'x'.repeat(200), measure: 'm' } });
    try {
      new PiHistorianNormaliser(long, clock).normalise({ ...value, tag: 'T' });
      throw new Error('accepted');
    } catch (err) {
      expect((err as NormalisationError).issues[0]).toEqual({ path: 'event.assetId', message: 'must be at most 128 characters' });
    }
  });
});
