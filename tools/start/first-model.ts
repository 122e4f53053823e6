import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { failureRiskCurrentPointerKey } from '@plant/config';
import { RunningService, startService } from './processes';

/**
 * On the first `npm start` (no current.json in the lake yet) trains a small failure-risk model in
 * the background (6 assets × 12 simulated hours, seconds of CPU), so `Asset.failureRisk` is served
 * without a manual step: the local endpoint picks the version up within a second of it being
 * written, and answers MODEL_UNAVAILABLE until then. `npm run train` replaces it with a full run.
 */
export function trainFirstModelIfMissing(lakeDir: string, logDir: string): RunningService | undefined {
  if (process.env.TRAIN_MODEL_ON_START === 'false' || existsSync(join(lakeDir, failureRiskCurrentPointerKey()))) return undefined;
  const training = startService({ name: 'train', entry: 'tools/train/main.ts', args: ['--hours', '12', '--assets', '3', '--lake-dir', lakeDir], env: {} }, logDir);
  // One-shot and unsupervised: it must not outlive npm start.
  const stop = () => training.child.kill('SIGTERM');
  process.once('exit', stop);
  training.child.once('exit', () => process.off('exit', stop));
  return training;
}
