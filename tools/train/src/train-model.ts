import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { FAILURE_RISK_MODEL } from '@plant/config';
import { FAILURE_RISK_ARTEFACT_FORMAT, FailureRiskArtefact, scoreFailureRisk } from '@plant/domain';
import { DRIFT_FAILURE_REASONS } from '@plant/simulator';
import type { LabelledRow, LabelledSet } from './labelled-set';
import { bestF1Threshold, evaluate } from './metrics';

export interface TrainOptions {
  /** Share of the simulated time (from its start) used for training; the later rest is the test. */
  trainFraction?: number;
  /** Gradient steps of ml-logistic-regression (full-batch gradient ascent). */
  steps?: number;
  seed: number;
  simulatedHours: number;
  now?: () => Date;
}

/**
 * Fits the failure-risk model on the first part of the simulated time and evaluates it on the
 * later hours (never shuffled across time: the test rows are all after the training rows, and
 * training rows whose label horizon reaches into the test hours are dropped so no failure is seen
 * from both sides). Logistic regression (ml-logistic-regression) on standardised features: a
 * linear model whose weight × standardised value is each feature's contribution, which the API
 * shows as "top contributing features".
 */
export function trainFailureRisk(set: LabelledSet, options: TrainOptions): FailureRiskArtefact {
  const { trainFraction = 0.7, steps = 400 } = options;
  const splitMs = set.fromMs + (set.toMs - set.fromMs) * trainFraction;
  const horizonMs = FAILURE_RISK_MODEL.labelHorizonMinutes * 60_000;
  const train = set.rows.filter((r) => r.timeMs + horizonMs <= splitMs);
  const test = set.rows.filter((r) => r.timeMs > splitMs);
  if (!train.some((r) => r.label === 1) || !test.some((r) => r.label === 1)) {
    throw new Error(`too few failures to train and test (${set.failures} in ${options.simulatedHours} h): simulate more hours or assets`);
  }
  const features = [...FAILURE_RISK_MODEL.featureNames];
  const scaler = { ...fitScaler(train, features.length), clip: Z_CLIP };
  const x = new Matrix(train.map((r) => [1, ...standardise(r.values, scaler)]));
  const y = Matrix.columnVector(train.map((r) => r.label));
  // The library's gradient is a sum over rows: dividing the rate by the row count makes it a mean.
  const classifier = new LogisticRegression({ numSteps: steps, learningRate: 1 / train.length });
  classifier.train(x, y);
  // One-vs-all with two classes: classifier 0 scores "not class 0", i.e. P(failure).
  const weights: number[] = (classifier.classifiers[0].weights as Matrix).to1DArray();

  const createdAt = (options.now ?? (() => new Date()))();
  const artefact: FailureRiskArtefact = {
    format: FAILURE_RISK_ARTEFACT_FORMAT,
    model: FAILURE_RISK_MODEL.name,
    version: createdAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'),
    createdAt: createdAt.toISOString(),
    algorithm: `logistic regression (ml-logistic-regression, ${steps} gradient steps, standardised features)`,
    featureGroup: FAILURE_RISK_MODEL.featureGroupName,
    features,
    scaler,
    weights: weights.slice(1),
    intercept: weights[0],
    threshold: 0.5,
    label: { horizonMinutes: FAILURE_RISK_MODEL.labelHorizonMinutes, reasons: [...DRIFT_FAILURE_REASONS] },
    training: {
      seed: options.seed,
      simulatedHours: options.simulatedHours,
      assets: set.assets,
      trainRange: { from: iso(set.fromMs), to: iso(splitMs) },
      testRange: { from: iso(splitMs), to: iso(set.toMs) },
    },
    metrics: { train: emptyMetrics(), test: emptyMetrics() },
  };
  const trainScores = train.map((r) => scoreFailureRisk(artefact, r.values).probability);
  artefact.threshold = bestF1Threshold(trainScores, labels(train));
  artefact.metrics.train = evaluate(trainScores, labels(train), artefact.threshold);
  artefact.metrics.test = evaluate(
    test.map((r) => scoreFailureRisk(artefact, r.values).probability),
    labels(test),
    artefact.threshold,
  );
  return artefact;
}

/** Mean and standard deviation per feature over the training rows, missing values skipped. */
function fitScaler(rows: readonly LabelledRow[], width: number): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  for (let i = 0; i < width; i++) {
    const column = rows.map((r) => r.values[i]).filter((v): v is number => v !== undefined);
    const m = column.length ? column.reduce((a, b) => a + b, 0) / column.length : 0;
    const variance = column.length ? column.reduce((a, b) => a + (b - m) ** 2, 0) / column.length : 0;
    mean.push(m);
    // A constant column gets std 1 so it standardises to 0 instead of dividing by zero.
    std.push(variance > 1e-12 ? Math.sqrt(variance) : 1);
  }
  return { mean, std };
}

/** Standardised values are limited to ±4 in training and serving alike (FailureRiskArtefact.scaler.clip says why). */
const Z_CLIP = 4;

const standardise = (values: readonly (number | undefined)[], scaler: { mean: number[]; std: number[] }): number[] =>
  values.map((v, i) => (v === undefined ? 0 : Math.max(-Z_CLIP, Math.min(Z_CLIP, (v - scaler.mean[i]) / scaler.std[i]))));

const labels = (rows: readonly LabelledRow[]) => rows.map((r) => r.label);
const iso = (ms: number) => new Date(ms).toISOString();
const emptyMetrics = () => ({ auc: Number.NaN, precision: 0, recall: 0, rows: 0, positives: 0 });
