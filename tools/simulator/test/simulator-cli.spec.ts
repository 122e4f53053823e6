import { loadConfig } from '@plant/config';
import { parseSimulatorArgs, SimulatorConfigSchema } from '@plant/simulator';

describe('simulator command line', () => {
  it('defaults to 200 records/s, seed 1, 2 × 3 × 6 assets of acme, no malformed records, no end', () => {
    expect(parseSimulatorArgs([])).toEqual({ seed: '1', rate: 200, malformed: 0, plants: 2, lines: 3, assets: 6, enterprise: 'acme', 'log-interval': 5 });
  });

  it('reads --rate max as unlimited and the other options as numbers', () => {
    expect(parseSimulatorArgs(['--rate', 'max', '--duration', '10', '--malformed', '0.01', '--plants', '1', '--in-flight', '8'])).toMatchObject({
      rate: Infinity,
      duration: 10,
      malformed: 0.01,
      plants: 1,
      'in-flight': 8,
    });
  });

  it('names every bad option with its rule', () => {
    expect(() => parseSimulatorArgs(['--rate=0', '--malformed', '2', '--lines', '1.5'])).toThrow(
      '--rate must be greater than 0\n--malformed must be between 0 and 1\n--lines must be a whole number',
    );
    expect(() => parseSimulatorArgs(['--speed', '3'])).toThrow(/Unknown option '--speed'/);
  });

  it('takes the endpoint from AWS_ENDPOINT_URL, by default the local stack port 4566', () => {
    expect(loadConfig(SimulatorConfigSchema, {})).toMatchObject({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', PLANT_EVENTS_STREAM: 'plant-events' });
    expect(loadConfig(SimulatorConfigSchema, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9999' }).AWS_ENDPOINT_URL).toBe('http://127.0.0.1:9999');
    expect(() => loadConfig(SimulatorConfigSchema, { AWS_ENDPOINT_URL: 'localhost' })).toThrow(/AWS_ENDPOINT_URL is "localhost"/);
  });
});
