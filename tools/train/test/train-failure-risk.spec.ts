import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAILURE_RISK_MODEL } from '@plant/config';
import { parseFailureRiskArtefact, scoreFailureRisk } from '@plant/domain';
import { publishArtefact, readCurrentPointer } from '../src/artefact-store';
import { generateLabelledSet } from '../src/labelled-set';
import { runTraining } from '../src/run-training';

// A small plant (6 assets, 10 simulated hours): trains in seconds, yet holds ~40 drift failures.
const SMALL = { seed: 7, hours: 10, lines: 2, assetsPerLine: 3 };

describe('failure-risk training', () => {
  const run = runTraining({ ...SMALL, now: () => new Date('2026-12-01T05:00:00Z') });

  it('ranks later, held-out hours clearly better than a coin (AUC > 0.6)', () => {
    expect(run.artefact.metrics.test.positives).toBeGreaterThan(0);
    expect(run.artefact.metrics.test.auc).toBeGreaterThan(0.6);
  });

  it('tests only on hours after every training hour', () => {
    const { trainRange, testRange } = run.artefact.training;
    expect(Date.parse(testRange.from)).toBeGreaterThanOrEqual(Date.parse(trainRange.to));
  });

  it('writes the model contract into the artefact: features in order, scaler, weights, threshold, label', () => {
    const artefact = parseFailureRiskArtefact(JSON.parse(JSON.stringify(run.artefact)));
    expect(artefact.features).toEqual(FAILURE_RISK_MODEL.featureNames);
    expect(artefact.weights).toHaveLength(artefact.features.length);
    expect(artefact.threshold).toBeGreaterThan(0);
    expect(artefact.threshold).toBeLessThan(1);
    expect(artefact.label.horizonMinutes).toBe(FAILURE_RISK_MODEL.labelHorizonMinutes);
    expect(artefact.scaler.clip).toBe(4);
    expect(artefact.version).toBe('20261201T050000Z');
  });

  it('labels a row 1 only when a drift failure follows within the horizon', () => {
    const set = generateLabelledSet({ ...SMALL, hours: 4 });
    expect(set.rows.some((r) => r.label === 1)).toBe(true);
    expect(set.rows.some((r) => r.label === 0)).toBe(true);
    const again = generateLabelledSet({ ...SMALL, hours: 4 });
    expect(again.rows.map((r) => r.label)).toEqual(set.rows.map((r) => r.label));
  });

  it('scores a row whose features are all missing at the intercept, with zero contributions', () => {
    const score = scoreFailureRisk(run.artefact, run.artefact.features.map(() => undefined));
    expect(score.probability).toBeCloseTo(1 / (1 + Math.exp(-run.artefact.intercept)), 12);
    expect(score.contributions.every((c) => c.contribution === 0 && c.value === null)).toBe(true);
  });

  it('limits a value far outside the training range to the clip (a cold-start window cannot decide alone)', () => {
    const far = run.artefact.features.map((_, i) => run.artefact.scaler.mean[i] + 1000 * run.artefact.scaler.std[i]);
    const score = scoreFailureRisk(run.artefact, far);
    score.contributions.forEach((c, i) => expect(Math.abs(c.contribution)).toBeCloseTo(Math.abs(run.artefact.weights[i]) * 4, 9));
  });

  it('publishes the artefact under models/ and moves the current pointer to it', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'train-lake-'));
    const { artefactPath } = await publishArtefact(lake, run.artefact);
    expect(artefactPath).toBe(join(lake, 'models', FAILURE_RISK_MODEL.name, 'versions', `${run.artefact.version}.json`));
    expect(await readCurrentPointer(lake)).toEqual({ version: run.artefact.version, key: `models/${FAILURE_RISK_MODEL.name}/versions/${run.artefact.version}.json` });
    expect(JSON.parse(readFileSync(artefactPath, 'utf8')).version).toBe(run.artefact.version);
  });
});
