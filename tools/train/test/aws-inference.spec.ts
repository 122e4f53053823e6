import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreFailureRisk } from '@plant/domain';
import { fixtureArtefact } from '../../../test/support/failure-risk-fixture';
import { packageModel } from '../src/package-model';

/**
 * The AWS endpoint runs infra/model/code/inference.py in the SageMaker scikit-learn container on
 * the same artefact: packed as model.tar.gz, unpacked and called the way the container calls its
 * handlers, it must answer what the local runtime answers.
 */
describe('model.tar.gz for the SageMaker endpoint', () => {
  // clip 1: the first row's z of 1.5 is limited to 1 on both sides.
  const fixture = fixtureArtefact('v-aws', -1);
  const artefact = { ...fixture, threshold: 0.6, scaler: { ...fixture.scaler, clip: 1 } };
  const dir = mkdtempSync(join(tmpdir(), 'model-tar-'));
  const tarball = packageModel(artefact, join(dir, 'model.tar.gz'));

  it('holds model.json and code/inference.py at its root', () => {
    const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((e) => e.replace(/^\.\//, ''));
    expect(entries).toEqual(expect.arrayContaining(['model.json', 'code/inference.py']));
  });

  it('scores CSV rows in the container handlers exactly like the local runtime', () => {
    const unpacked = join(dir, 'opt-ml-model');
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
    const rows = [[2.5, ...artefact.features.slice(1).map(() => undefined)], artefact.features.map(() => undefined)];
    const csv = rows.map((r) => r.map((v) => (v === undefined ? '' : String(v))).join(',')).join('\n');
    const script = [
      'import sys, json',
      `sys.path.insert(0, ${JSON.stringify(join(unpacked, 'code'))})`,
      'import inference as h',
      `m = h.model_fn(${JSON.stringify(unpacked)})`,
      `body, ctype = h.output_fn(h.predict_fn(h.input_fn(${JSON.stringify(csv)}.encode(), "text/csv"), m), "application/json")`,
      'print(body)',
    ].join('\n');
    const answer = JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as { modelVersion: string; predictions: { probability: number; label: number }[] };
    expect(answer.modelVersion).toBe('v-aws');
    rows.forEach((row, i) => {
      const local = scoreFailureRisk(artefact, row);
      expect(answer.predictions[i].probability).toBeCloseTo(local.probability, 12);
      expect(answer.predictions[i].label).toBe(local.probability >= 0.6 ? 1 : 0);
    });
    expect(answer.predictions[0].probability).toBeCloseTo(1 / (1 + Math.exp(-(-1 + 2 * 1))), 12);
  });
});
