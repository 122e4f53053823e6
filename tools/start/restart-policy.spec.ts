import { CrashHistory, decideRestart, DEFAULT_RESTART_POLICY, RestartDecision, RestartPolicy } from './restart-policy';

const policy: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 8_000, factor: 2, stableAfterMs: 60_000, maxCrashesInARow: 6 };

/** Feeds one exit after another through the policy, as the supervisor does. */
function decisions(healthyForMs: number[], start: CrashHistory = { crashesInARow: 0 }): RestartDecision[] {
  let history = start;
  return healthyForMs.map((ms) => {
    const d = decideRestart(policy, history, ms);
    history = d.history;
    return d;
  });
}

const delays = (ds: RestartDecision[]) => ds.map((d) => (d.action === 'restart' ? d.delayMs : d.action));

describe('restart policy', () => {
  it('doubles the delay for each crash in a row, capped at the maximum', () => {
    expect(delays(decisions([0, 0, 0, 0, 0]))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it('gives up at the configured number of crashes in a row', () => {
    expect(delays(decisions([0, 0, 0, 0, 0, 0]))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 'give-up']);
  });

  it('counts a crash after a short healthy run as part of the loop', () => {
    expect(delays(decisions([59_999, 59_999, 59_999]))).toEqual([1_000, 2_000, 4_000]);
  });

  it('starts again from the first delay after a period of healthy running', () => {
    expect(delays(decisions([0, 0, 0, 60_000, 0]))).toEqual([1_000, 2_000, 4_000, 1_000, 2_000]);
  });

  it('never gives up on a service that crashes only after running healthy for the stable period', () => {
    const ds = decisions(Array.from({ length: 50 }, () => 3_600_000));
    expect(ds.every((d) => d.action === 'restart' && d.delayMs === 1_000)).toBe(true);
  });

  it('gives up at once when one crash is the limit', () => {
    expect(decideRestart({ ...policy, maxCrashesInARow: 1 }, { crashesInARow: 0 }, 0).action).toBe('give-up');
  });

  it('defaults to 1 s doubling to 30 s, reset after a healthy minute, given up after 6 crashes in a row', () => {
    expect(DEFAULT_RESTART_POLICY).toEqual({ initialDelayMs: 1_000, maxDelayMs: 30_000, factor: 2, stableAfterMs: 60_000, maxCrashesInARow: 6 });
  });
});
