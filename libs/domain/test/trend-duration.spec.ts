import { InvalidArgumentError, parseDuration } from '@plant/domain';

describe('trend durations', () => {
  it('reads durations in seconds, minutes, hours and days', () => {
    expect(['90s', '15m', '1h', '7d'].map((d) => parseDuration('last', d))).toEqual([90, 900, 3_600, 604_800]);
  });

  it('refuses a malformed duration naming the argument', () => {
    expect(() => parseDuration('last', '1 hour')).toThrow(new InvalidArgumentError('last', '"1 hour" is not a duration such as 90s, 15m, 1h or 7d'));
    expect(() => parseDuration('bucket', '0m')).toThrow('bucket: must be greater than 0');
  });
});
