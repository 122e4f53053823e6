import { AmplaIqtNormaliser, PlantEvent } from '@plant/contracts';
import { normalisationIssues } from './normalisation-issues';

const normaliser = new AmplaIqtNormaliser(() => new Date('2026-11-25T08:00:05Z'));
const location = 'acme.plt1.plt1-l2.plt1-l2-press3';
const production = {
  module: 'production',
  recordId: 4711,
  location,
  sampleTime: '2026-11-25T08:00:00Z',
  goodQuantity: 12,
  rejectQuantity: 1,
  idealCycleTimeSeconds: 4.5,
};
const downtime = { module: 'downtime', recordId: 88, location, startTime: '2026-11-25T07:50:00Z', endTime: null, causeCode: 'bearing-failure' };
const quality = { module: 'quality', recordId: 9, location, sampleTime: '2026-11-25T08:00:00Z', defectCode: 'burr', defectCount: 2 };

const issues = (payload: unknown) => normalisationIssues(normaliser, payload);

describe('Ampla IQT normaliser', () => {
  it('maps a production record to a production event of the located asset', () => {
    const [event] = normaliser.normalise(production);
    expect(PlantEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      kind: 'production',
      source: 'ampla-iqt',
      plantId: 'plt1',
      lineId: 'plt1-l2',
      assetId: 'plt1-l2-press3',
      goodCount: 12,
      scrapCount: 1,
      idealCycleSeconds: 4.5,
      eventTime: '2026-11-25T08:00:00.000Z',
    });
  });

  it('maps an open downtime record to a start event and a closed one to start (same id) and end', () => {
    const [open] = normaliser.normalise(downtime);
    expect(open).toMatchObject({ kind: 'downtime', phase: 'start', reasonCode: 'bearing-failure', downtimeId: 'plt1:88', eventTime: '2026-11-25T07:50:00.000Z' });
    const closed = normaliser.normalise({ ...downtime, endTime: '2026-11-25T08:05:00Z', causeDescription: 'Main bearing seized' });
    expect(closed.map((e) => e.kind === 'downtime' && e.phase)).toEqual(['start', 'end']);
    expect(closed[0].eventId).toBe(open.eventId);
    expect(closed[1]).toMatchObject({ downtimeId: 'plt1:88', reason: 'Main bearing seized', eventTime: '2026-11-25T08:05:00.000Z' });
    expect(closed[1].eventId).not.toBe(open.eventId);
  });

  it('maps a quality record to a quality event', () => {
    expect(normaliser.normalise(quality)[0]).toMatchObject({ kind: 'quality', defectCode: 'burr', defectCount: 2 });
  });

  it('gives records of the same id on different servers (plants) different event ids', () => {
    const [a] = normaliser.normalise(production);
    const [b] = normaliser.normalise({ ...production, location: 'acme.plt2.plt2-l2.plt2-l2-press3' });
    expect(a.eventId).not.toBe(b.eventId);
    expect(normaliser.normalise(production)[0].eventId).toBe(a.eventId);
  });

  it('rejects negative and fractional counts with the field and rule', () => {
    expect(issues({ ...production, goodQuantity: -3, rejectQuantity: 1.5 })).toEqual([
      { path: 'goodQuantity', message: 'must not be negative' },
      { path: 'rejectQuantity', message: 'must be a whole number' },
    ]);
  });

  it('rejects a downtime that ends before it starts', () => {
    expect(issues({ ...downtime, endTime: '2026-11-25T07:00:00Z' })).toEqual([{ path: 'endTime', message: 'must not be before startTime' }]);
  });

  it('rejects a location that is not enterprise.plant.line.asset', () => {
    expect(issues({ ...quality, location: 'acme.plt1.press3' })).toEqual([{ path: 'location', message: 'must be enterprise.plant.line.asset' }]);
  });

  it('rejects an unknown module and a zero defect count', () => {
    expect(issues({ ...production, module: 'energy' })[0].path).toBe('module');
    expect(issues({ ...quality, defectCount: 0 })).toEqual([{ path: 'defectCount', message: 'must be at least 1' }]);
  });
});
