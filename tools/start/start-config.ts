import { z } from 'zod';
import { intVar, loadConfig } from '@plant/config';
import { DEFAULT_RESTART_POLICY, RestartPolicy } from './restart-policy';

/**
 * The supervisor's own settings (`npm start` only). They live here rather than in
 * `libs/config/src/env-names.ts` because no app and nothing in `infra/` reads them: in AWS the
 * container orchestrator restarts tasks, not this script.
 */
export const StartConfigSchema = z
  .object({
    RESTART_INITIAL_DELAY_MS: intVar(DEFAULT_RESTART_POLICY.initialDelayMs, 0),
    RESTART_MAX_DELAY_MS: intVar(DEFAULT_RESTART_POLICY.maxDelayMs, 0),
    RESTART_STABLE_AFTER_MS: intVar(DEFAULT_RESTART_POLICY.stableAfterMs, 1),
    RESTART_MAX_CRASHES_IN_A_ROW: intVar(DEFAULT_RESTART_POLICY.maxCrashesInARow, 1),
  })
  .refine((c) => c.RESTART_MAX_DELAY_MS >= c.RESTART_INITIAL_DELAY_MS, {
    path: ['RESTART_MAX_DELAY_MS'],
    message: 'must be at least RESTART_INITIAL_DELAY_MS',
  });

/** The restart policy from the environment; throws a ConfigError naming every bad variable. */
export function restartPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RestartPolicy {
  const c = loadConfig(StartConfigSchema, env);
  return {
    initialDelayMs: c.RESTART_INITIAL_DELAY_MS,
    maxDelayMs: c.RESTART_MAX_DELAY_MS,
    factor: DEFAULT_RESTART_POLICY.factor,
    stableAfterMs: c.RESTART_STABLE_AFTER_MS,
    maxCrashesInARow: c.RESTART_MAX_CRASHES_IN_A_ROW,
  };
}
