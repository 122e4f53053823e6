import { addCounters, emptyCounters, kpiFiguresOf, KpiCounters } from '@plant/domain';

const counters = (fields: Partial<KpiCounters>): KpiCounters => ({ ...emptyCounters(), ...fields });

describe('KPI figures from counters', () => {
  it('availability is run time over all accounted time (run + idle + down)', () => {
    expect(kpiFiguresOf(counters({ runMs: 6_000, idleMs: 2_000, downMs: 2_000 })).availability).toBe(0.6);
  });

  it('performance is ideal time of the parts over run time', () => {
    expect(kpiFiguresOf(counters({ runMs: 10_000, idealMs: 8_000 })).performance).toBe(0.8);
  });

  it('performance is capped at 1 when the ideal cycle time is too optimistic', () => {
    expect(kpiFiguresOf(counters({ runMs: 10_000, idealMs: 20_000 })).performance).toBe(1);
  });

  it('quality is good over produced, defects found later move good parts to scrap', () => {
    const f = kpiFiguresOf(counters({ goodCount: 90, scrapCount: 10, defectCount: 5 }));
    expect([f.goodCount, f.scrapCount, f.quality]).toEqual([85, 15, 0.85]);
  });

  it('OEE is availability × performance × quality', () => {
    const f = kpiFiguresOf(counters({ runMs: 8_000, downMs: 2_000, idealMs: 6_000, goodCount: 9, scrapCount: 1 }));
    expect(f.availability).toBe(0.8);
    expect(f.performance).toBe(0.75);
    expect(f.quality).toBe(0.9);
    expect(f.oee).toBe(0.54);
  });

  it('zero denominators give 0, never NaN or Infinity', () => {
    const f = kpiFiguresOf(emptyCounters());
    expect([f.availability, f.performance, f.quality, f.oee, f.throughputPerHour]).toEqual([0, 0, 0, 0, 0]);
  });

  it('throughput is good parts per hour of accounted time', () => {
    expect(kpiFiguresOf(counters({ runMs: 1_800_000, goodCount: 50 })).throughputPerHour).toBe(100);
  });

  it('lists downtime by reason, longest first', () => {
    const f = kpiFiguresOf(counters({ downMs: 5_000, downByReasonMs: { jam: 1_000, tooling: 4_000 } }));
    expect(f.downtimeByReason).toEqual([
      { reasonCode: 'tooling', seconds: 4 },
      { reasonCode: 'jam', seconds: 1 },
    ]);
    expect(f.downtimeSeconds).toBe(5);
  });

  it('adds counters field by field, reasons included', () => {
    const sum = addCounters(counters({ runMs: 1, downByReasonMs: { jam: 2 } }), counters({ runMs: 3, downByReasonMs: { jam: 4, x: 1 } }));
    expect(sum).toMatchObject({ runMs: 4, downByReasonMs: { jam: 6, x: 1 } });
  });
});
