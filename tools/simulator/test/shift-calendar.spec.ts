import { Prng, ShiftCalendar } from '@plant/simulator';

describe('ShiftCalendar', () => {
  const calendar = new ShiftCalendar({ utcOffsetMinutes: 60 });
  const at = (iso: string) => calendar.at(Date.parse(iso));

  it('places plant local times in the early, late and night shifts', () => {
    expect(at('2026-11-25T06:30:00Z')).toEqual({ shiftId: 'early', shiftStartMs: Date.parse('2026-11-25T05:00:00Z') });
    expect(at('2026-11-25T13:30:00Z')).toMatchObject({ shiftId: 'late' });
    expect(at('2026-11-25T21:30:00Z')).toMatchObject({ shiftId: 'night', shiftStartMs: Date.parse('2026-11-25T21:00:00Z') });
  });

  it('keeps the night shift that started yesterday until 06:00 local', () => {
    expect(at('2026-11-26T04:30:00Z')).toMatchObject({ shiftId: 'night', shiftStartMs: Date.parse('2026-11-25T21:00:00Z') });
  });

  it('marks the changeover at the start of a shift and the break four hours in', () => {
    expect(at('2026-11-25T05:05:00Z').plannedStop).toBe('shift-change');
    expect(at('2026-11-25T05:10:00Z').plannedStop).toBeUndefined();
    expect(at('2026-11-25T09:10:00Z').plannedStop).toBe('break');
    expect(at('2026-11-25T09:20:00Z').plannedStop).toBeUndefined();
  });
});

describe('Prng', () => {
  it('repeats its sequence for a seed, and forks independent streams', () => {
    const a = new Prng('x');
    const b = new Prng('x');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(new Prng('y').next()).not.toBe(seqA[0]);
    const values = Array.from({ length: 10_000 }, () => a.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((s, v) => s + v, 0) / values.length).toBeCloseTo(0.5, 1);
  });
});
