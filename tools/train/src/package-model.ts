import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { FailureRiskArtefact } from '@plant/domain';

/** The inference script the SageMaker scikit-learn container runs (infra ml.entryPoint). */
export const INFERENCE_SCRIPT = resolve(__dirname, '../../../infra/model/code/inference.py');

/**
 * Packs the artefact as SageMaker wants a model: `model.tar.gz` with `model.json` and
 * `code/inference.py` at its root (unpacked to /opt/ml/model; SAGEMAKER_SUBMIT_DIRECTORY points at
 * its code/). Uses the system `tar` (GNU or BSD), which every build machine has.
 */
export function packageModel(artefact: FailureRiskArtefact, outFile: string): string {
  const staging = mkdtempSync(join(tmpdir(), 'model-package-'));
  try {
    writeFileSync(join(staging, 'model.json'), JSON.stringify(artefact));
    mkdirSync(join(staging, 'code'));
    cpSync(INFERENCE_SCRIPT, join(staging, 'code', 'inference.py'));
    mkdirSync(dirname(resolve(outFile)), { recursive: true });
    execFileSync('tar', ['-czf', resolve(outFile), '-C', staging, 'model.json', 'code']);
    return resolve(outFile);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
