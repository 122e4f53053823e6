import { ConfigError } from '@plant/config';
import { DEFAULT_RESTART_POLICY } from './restart-policy';
import { restartPolicyFromEnv } from './start-config';

describe('npm start restart settings', () => {
  it('uses the default policy when nothing is set', () => {
    expect(restartPolicyFromEnv({})).toEqual(DEFAULT_RESTART_POLICY);
  });

  it('reads every setting from the environment', () => {
    const env = { RESTART_INITIAL_DELAY_MS: '200', RESTART_MAX_DELAY_MS: '5000', RESTART_STABLE_AFTER_MS: '10000', RESTART_MAX_CRASHES_IN_A_ROW: '3' };
    expect(restartPolicyFromEnv(env)).toEqual({ initialDelayMs: 200, maxDelayMs: 5_000, factor: 2, stableAfterMs: 10_000, maxCrashesInARow: 3 });
  });

  it('names every bad variable and its rule', () => {
    const env = { RESTART_INITIAL_DELAY_MS: 'soon', RESTART_MAX_CRASHES_IN_A_ROW: '0' };
    expect(() => restartPolicyFromEnv(env)).toThrow(ConfigError);
    try {
      restartPolicyFromEnv(env);
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'RESTART_INITIAL_DELAY_MS is "soon": must be a number',
        'RESTART_MAX_CRASHES_IN_A_ROW is "0": must be at least 1',
      ]);
    }
  });

  it('refuses a maximum delay below the first delay', () => {
    expect(() => restartPolicyFromEnv({ RESTART_INITIAL_DELAY_MS: '5000', RESTART_MAX_DELAY_MS: '1000' })).toThrow(
      'RESTART_MAX_DELAY_MS is "1000": must be at least RESTART_INITIAL_DELAY_MS',
    );
  });
});
