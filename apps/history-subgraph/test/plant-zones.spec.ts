import { ConfigError, loadConfig } from '@plant/config';
import { HistorySubgraphConfigSchema } from '../src/config';

const base = { INTERNAL_AUTH_SECRET: 'internal-secret-0123456789-0123456789' };

describe('PLANT_UTC_OFFSETS', () => {
  it('reads each plant’s offset in minutes east of UTC, and defaults to none (UTC)', () => {
    expect(loadConfig(HistorySubgraphConfigSchema, { ...base, PLANT_UTC_OFFSETS: 'plt1=60, plt2=-300,plt5=+330' }).PLANT_UTC_OFFSETS).toEqual({ plt1: 60, plt2: -300, plt5: 330 });
    expect(loadConfig(HistorySubgraphConfigSchema, base).PLANT_UTC_OFFSETS).toEqual({});
  });

  it('stops start-up on a malformed entry, naming it', () => {
    expect(() => loadConfig(HistorySubgraphConfigSchema, { ...base, PLANT_UTC_OFFSETS: 'plt1=abc' })).toThrow(ConfigError);
    expect(() => loadConfig(HistorySubgraphConfigSchema, { ...base, PLANT_UTC_OFFSETS: 'plt1=900' })).toThrow(/"plt1=900" must be <plantId>=<minutes east of UTC between -840 and 840>/);
  });
});
