import { z } from 'zod';
import { awsConfigShape, ConfigError, influxConnectionOf, loadConfig, trendStoreConfigShape } from '@plant/config';

const schema = z.object({ ...awsConfigShape, ...trendStoreConfigShape });

describe('trend store config', () => {
  it('defaults to Timestream, the store the local stack serves durably', () => {
    expect(loadConfig(schema, {}).TREND_STORE).toBe('timestream');
  });

  it('refuses a trend store it does not know, naming the variable', () => {
    expect(() => loadConfig(schema, { TREND_STORE: 'influx' })).toThrow(/TREND_STORE is "influx": must be timestream or influxdb/);
  });

  it('points InfluxDB at the local stack when only AWS_ENDPOINT_URL is set', () => {
    const config = loadConfig(schema, { TREND_STORE: 'influxdb', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    expect(influxConnectionOf(config)).toEqual({ url: 'http://127.0.0.1:4566', token: 'local-stack', org: 'plant', bucket: 'telemetry' });
  });

  it('names both missing variables in AWS, where URL and token must come from the deployment', () => {
    const config = loadConfig(schema, { TREND_STORE: 'influxdb' });
    expect(() => influxConnectionOf(config)).toThrow(ConfigError);
    expect(() => influxConnectionOf(config)).toThrow(/INFLUXDB_URL is missing[\s\S]*INFLUXDB_TOKEN is missing/);
  });
});
