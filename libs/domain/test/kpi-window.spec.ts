import { splitAtWindows, windowInstanceAt } from '@plant/domain';

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
const instance = (window: Parameters<typeof windowInstanceAt>[0], at: string) => {
  const i = windowInstanceAt(window, ms(at));
  return [iso(i.startMs), iso(i.endMs)];
};

describe('KPI window instances (UTC)', () => {
  it('1m and 15m windows start on the minute and quarter hour', () => {
    expect(instance('1m', '2026-11-25T08:16:59.999Z')).toEqual(['2026-11-25T08:16:00.000Z', '2026-11-25T08:17:00.000Z']);
    expect(instance('15m', '2026-11-25T08:16:59.999Z')).toEqual(['2026-11-25T08:15:00.000Z', '2026-11-25T08:30:00.000Z']);
  });

  it('shifts run 06-14, 14-22 and 22-06; the night shift spans midnight', () => {
    expect(instance('shift', '2026-11-25T06:00:00Z')).toEqual(['2026-11-25T06:00:00.000Z', '2026-11-25T14:00:00.000Z']);
    expect(instance('shift', '2026-11-25T21:59:59Z')).toEqual(['2026-11-25T14:00:00.000Z', '2026-11-25T22:00:00.000Z']);
    expect(instance('shift', '2026-11-26T03:00:00Z')).toEqual(['2026-11-25T22:00:00.000Z', '2026-11-26T06:00:00.000Z']);
  });

  it('the production day starts at 06:00 UTC, so a day is exactly its three shifts', () => {
    expect(instance('day', '2026-11-26T05:59:59Z')).toEqual(['2026-11-25T06:00:00.000Z', '2026-11-26T06:00:00.000Z']);
    expect(instance('day', '2026-11-26T06:00:00Z')).toEqual(['2026-11-26T06:00:00.000Z', '2026-11-27T06:00:00.000Z']);
  });

  it('splits an interval at window boundaries without losing a millisecond', () => {
    const segments = splitAtWindows('1m', ms('2026-11-25T08:00:30Z'), ms('2026-11-25T08:02:10Z'));
    expect(segments.map((s) => [iso(s.instance.startMs), s.ms])).toEqual([
      ['2026-11-25T08:00:00.000Z', 30_000],
      ['2026-11-25T08:01:00.000Z', 60_000],
      ['2026-11-25T08:02:00.000Z', 10_000],
    ]);
  });

  it('an empty or reversed interval has no segments', () => {
    expect(splitAtWindows('15m', 10, 10)).toEqual([]);
    expect(splitAtWindows('15m', 10, 5)).toEqual([]);
  });
});
