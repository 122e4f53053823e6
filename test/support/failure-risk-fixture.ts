import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FAILURE_RISK_MODEL, failureRiskArtefactKey, failureRiskCurrentPointerKey } from '@plant/config';
import { FAILURE_RISK_ARTEFACT_FORMAT, FailureRiskArtefact } from '@plant/domain';

export const FIXTURE_FEATURES = [...FAILURE_RISK_MODEL.featureNames];
export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * A model artefact whose log-odds are `intercept + 2 × (first feature − 1)` (the first feature is
 * vibration_5m_mean), so a test can compute the expected probability by hand.
 */
export function fixtureArtefact(version: string, intercept: number): FailureRiskArtefact {
  const metrics = { auc: 1, precision: 1, recall: 1, rows: 1, positives: 1 };
  return {
    format: FAILURE_RISK_ARTEFACT_FORMAT,
    model: FAILURE_RISK_MODEL.name,
    version,
    createdAt: '2026-12-01T00:00:00.000Z',
    algorithm: 'fixture',
    featureGroup: FAILURE_RISK_MODEL.featureGroupName,
    features: FIXTURE_FEATURES,
    scaler: { mean: FIXTURE_FEATURES.map((_, i) => (i === 0 ? 1 : 0)), std: FIXTURE_FEATURES.map(() => 1) },
    weights: FIXTURE_FEATURES.map((_, i) => (i === 0 ? 2 : 0)),
    intercept,
    threshold: 0.5,
    label: { horizonMinutes: FAILURE_RISK_MODEL.labelHorizonMinutes, reasons: ['overheat'] },
    training: { seed: 1, simulatedHours: 1, assets: 1, trainRange: { from: '', to: '' }, testRange: { from: '', to: '' } },
    metrics: { train: metrics, test: metrics },
  };
}

/** Writes the artefact and points current.json at it, as `npm run train` does, into a lake folder. */
export function publishFixture(lakeDir: string, model: FailureRiskArtefact): void {
  const key = failureRiskArtefactKey(model.version);
  mkdirSync(dirname(join(lakeDir, key)), { recursive: true });
  writeFileSync(join(lakeDir, key), JSON.stringify(model));
  writeFileSync(join(lakeDir, failureRiskCurrentPointerKey()), JSON.stringify({ version: model.version, key }));
}
