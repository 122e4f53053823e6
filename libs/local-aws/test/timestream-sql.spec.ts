import { translateTimestreamSql } from '../src/timestream/timestream-sql';

describe('Timestream SQL translation', () => {
  it('turns bin() with a duration literal into the epoch-aligned bucket macro', () => {
    expect(translateTimestreamSql('SELECT bin(time, 1m) AS t FROM "plant"."telemetry"')).toBe(
      `SELECT ts_bin(time, INTERVAL '1 minute') AS t FROM "plant"."telemetry"`,
    );
  });

  it('turns ago() and now() into UTC timestamp macros', () => {
    expect(translateTimestreamSql('WHERE time > ago(15m) AND time <= now()')).toBe(
      `WHERE time > ts_ago(INTERVAL '15 minute') AND time <= ts_now()`,
    );
  });

  it.each([
    ['5ns', `INTERVAL '0 microsecond'`],
    ['2000ns', `INTERVAL '2 microsecond'`],
    ['10us', `INTERVAL '10 microsecond'`],
    ['250ms', `INTERVAL '250 millisecond'`],
    ['30s', `INTERVAL '30 second'`],
    ['1h', `INTERVAL '1 hour'`],
    ['7d', `INTERVAL '7 day'`],
  ])('translates the duration literal %s', (literal, interval) => {
    expect(translateTimestreamSql(`time > now() - ${literal}`)).toBe(`time > ts_now() - ${interval}`);
  });

  it('quotes measure_value::<type> as the column Timestream means, not a cast', () => {
    expect(translateTimestreamSql('SELECT avg(measure_value::double), max(measure_value::BIGINT) FROM t')).toBe(
      'SELECT avg("measure_value::double"), max("measure_value::bigint") FROM t',
    );
  });

  it('maps from_milliseconds, to_milliseconds and approx_percentile', () => {
    expect(translateTimestreamSql('SELECT from_milliseconds(x), to_milliseconds(time), approx_percentile(v, 0.9)')).toBe(
      'SELECT ts_from_milliseconds(x), epoch_ms(time), quantile_cont(v, 0.9)',
    );
  });

  it('leaves string literals, quoted identifiers and comments alone', () => {
    const sql = `SELECT "bin(1m)" FROM "plant"."telemetry" WHERE asset = 'ago(15m) 1h' -- bin(time, 1m)\nAND x = 1`;
    expect(translateTimestreamSql(sql)).toBe(sql);
  });

  it('does not treat digits inside identifiers or decimals as durations', () => {
    expect(translateTimestreamSql('SELECT t1m, 1.5, 10 FROM t')).toBe('SELECT t1m, 1.5, 10 FROM t');
  });

  it('keeps an escaped quote inside a string literal', () => {
    expect(translateTimestreamSql(`SELECT 'it''s 1m' , 1m`)).toBe(`SELECT 'it''s 1m' , INTERVAL '1 minute'`);
  });
});
