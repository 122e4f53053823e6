/**
 * The failure-risk model artefact: a standardised logistic regression, written as JSON by
 * `npm run train` and served as it is by the local SageMaker runtime and the AWS inference script
 * (infra/model/inference.py). Scoring is a dot product, so every server computes the same numbers
 * and the per-feature contributions (weight × standardised value) come for free.
 */
export const FAILURE_RISK_ARTEFACT_FORMAT = 'plant.failure-risk.logistic-regression/1';

export interface FailureRiskMetrics {
  /** Area under the ROC curve on the held-out (later) hours. */
  auc: number;
  precision: number;
  recall: number;
  rows: number;
  positives: number;
}

export interface FailureRiskArtefact {
  format: typeof FAILURE_RISK_ARTEFACT_FORMAT;
  model: string;
  version: string;
  createdAt: string;
  algorithm: string;
  featureGroup: string;
  /** Column order of every CSV row the endpoint takes. */
  features: string[];
  /**
   * Standardisation: z = (x − mean) / std, limited to ±clip when set; a missing value is imputed
   * with the mean (z = 0). The clip keeps an input far outside the training range (e.g. a 60-min
   * window that holds two minutes right after a start) from deciding the answer on its own.
   */
  scaler: { mean: number[]; std: number[]; clip?: number };
  weights: number[];
  intercept: number;
  /** Probability at or above which an asset is flagged (chosen on the training hours). */
  threshold: number;
  label: { horizonMinutes: number; reasons: string[] };
  training: { seed: number | string; simulatedHours: number; assets: number; trainRange: { from: string; to: string }; testRange: { from: string; to: string } };
  metrics: { train: FailureRiskMetrics; test: FailureRiskMetrics };
}

export interface FeatureContribution {
  feature: string;
  /** The raw value sent, or null when it was missing (imputed: contribution 0). */
  value: number | null;
  /** weight × standardised value: its push on the log-odds. */
  contribution: number;
}

export interface FailureRiskScore {
  probability: number;
  contributions: FeatureContribution[];
}

/** Scores one row (values in the artefact's feature order; undefined/NaN = missing). */
export function scoreFailureRisk(artefact: FailureRiskArtefact, row: readonly (number | undefined)[]): FailureRiskScore {
  if (row.length !== artefact.features.length) throw new RangeError(`expected ${artefact.features.length} values (${artefact.features.join(',')}), got ${row.length}`);
  let logit = artefact.intercept;
  const contributions: FeatureContribution[] = [];
  for (let i = 0; i < artefact.features.length; i++) {
    const value = row[i];
    const present = value !== undefined && Number.isFinite(value);
    const z = present ? clipped((value - artefact.scaler.mean[i]) / artefact.scaler.std[i], artefact.scaler.clip) : 0;
    const contribution = artefact.weights[i] * z;
    logit += contribution;
    contributions.push({ feature: artefact.features[i], value: present ? value : null, contribution });
  }
  return { probability: 1 / (1 + Math.exp(-logit)), contributions };
}

const clipped = (z: number, clip: number | undefined): number => (clip === undefined ? z : Math.max(-clip, Math.min(clip, z)));

/** Checks a parsed JSON object is a usable artefact (the runtime loads files written by another process). */
export function parseFailureRiskArtefact(raw: unknown): FailureRiskArtefact {
  const a = raw as Partial<FailureRiskArtefact> | null;
  if (!a || a.format !== FAILURE_RISK_ARTEFACT_FORMAT) throw new Error(`not a ${FAILURE_RISK_ARTEFACT_FORMAT} artefact`);
  const n = a.features?.length ?? 0;
  const numbers = (list: unknown) => Array.isArray(list) && list.length === n && list.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!n || !numbers(a.weights) || !numbers(a.scaler?.mean) || !numbers(a.scaler?.std) || typeof a.intercept !== 'number' || typeof a.version !== 'string') {
    throw new Error(`artefact ${String(a.version)} is incomplete: features, weights, scaler and intercept must line up`);
  }
  const clip = a.scaler?.clip;
  if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new Error(`artefact ${a.version}: scaler.clip must be a positive number`);
  return a as FailureRiskArtefact;
}
