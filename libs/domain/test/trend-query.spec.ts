import { InvalidArgumentError, parseDuration, trendRequestOf } from '@plant/domain';

describe('trend requests', () => {
  it('reads durations in seconds, minutes, hours and days', () => {
    expect(['90s', '15m', '1h', '7d'].map((d) => parseDuration('last', d))).toEqual([90, 900, 3_600, 604_800]);
  });

  it('refuses a malformed duration naming the argument', () => {
    expect(() => parseDuration('last', '1 hour')).toThrow(new InvalidArgumentError('last', '"1 hour" is not a duration such as 90s, 15m, 1h or 7d'));
    expect(() => parseDuration('bucket', '0m')).toThrow('bucket: must be greater than 0');
  });

  it('bounds the range and the number of buckets', () => {
    expect(() => trendRequestOf('a1', 'temperature', '32d', '1d')).toThrow('last: must be at most 31d');
    expect(() => trendRequestOf('a1', 'temperature', '7d', '1s')).toThrow(/bucket: gives more than 2000 buckets/);
    expect(trendRequestOf('a1', 'temperature', '1h', '1m')).toEqual({ assetId: 'a1', measure: 'temperature', lastSeconds: 3_600, bucketSeconds: 60 });
  });

  it('refuses a measure name that could not be a stored measure', () => {
    expect(() => trendRequestOf('a1', "x' OR 1=1 --", '1h', '1m')).toThrow(/^measure: must be/);
  });
});
