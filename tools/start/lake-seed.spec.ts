import { lakeSeedDaysFromEnv } from './lake-seed';

describe('LAKE_SEED_DAYS of npm start', () => {
  it('is off unless set', () => {
    expect(lakeSeedDaysFromEnv({})).toBe(0);
    expect(lakeSeedDaysFromEnv({ LAKE_SEED_DAYS: '3' })).toBe(3);
  });

  it('refuses anything but 0 to 31 whole days, naming the variable and the limit', () => {
    for (const bad of ['-1', '2.5', 'three', '32', '']) {
      expect(() => lakeSeedDaysFromEnv({ LAKE_SEED_DAYS: bad })).toThrow(`LAKE_SEED_DAYS is "${bad}": must be a whole number of days from 0 to 31`);
    }
  });
});
