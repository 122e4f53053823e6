import { z } from 'zod';
import { awsConfigShape, ConfigError, loadConfig, portVar, resourceNameVar, urlVar } from '@plant/config';

const schema = z.object({
  ...awsConfigShape,
  PORT: portVar(4001),
  KPI_TABLE: resourceNameVar('plant-kpis'),
  KPI_SUBGRAPH_URL: urlVar().default('http://127.0.0.1:4001/graphql'),
});

describe('loadConfig', () => {
  it('fills every default that points at the local stack when the environment is empty', () => {
    expect(loadConfig(schema, {})).toEqual({
      AWS_REGION: 'eu-central-1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      PORT: 4001,
      KPI_TABLE: 'plant-kpis',
      KPI_SUBGRAPH_URL: 'http://127.0.0.1:4001/graphql',
    });
  });

  it('turns strings into typed values', () => {
    const config = loadConfig(schema, { PORT: '8080', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    expect(config.PORT).toBe(8080);
    expect(config.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:4566');
  });

  it('names every bad variable, its value and the rule it broke, all at once', () => {
    let error: unknown;
    try {
      loadConfig(schema, { PORT: '70000', AWS_ENDPOINT_URL: 'localhost:4566', LOG_LEVEL: 'loud', KPI_TABLE: 'bad name!' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT is "70000": must be between 1 and 65535',
        expect.stringMatching(/^AWS_ENDPOINT_URL is "localhost:4566": must/),
        expect.stringMatching(/^LOG_LEVEL is "loud": must be one of/),
        expect.stringMatching(/^KPI_TABLE is "bad name!": must be 1-255 letters/),
      ]),
    );
  });

  it('says "is missing" for a required variable without a default', () => {
    const required = z.object({ JWT_SECRET: z.string().min(16, 'must be at least 16 characters') });
    expect(() => loadConfig(required, {})).toThrow(/JWT_SECRET is missing/);
  });
});
