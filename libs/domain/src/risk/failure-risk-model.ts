import type { FeatureContribution } from './failure-risk-artefact';

/** One prediction of the served model. */
export interface FailureRiskPrediction {
  probability: number;
  /** At or above the model's alert threshold. */
  atRisk: boolean;
  modelVersion: string;
  /** Every feature's contribution, in the model's feature order (callers pick the top ones). */
  contributions: FeatureContribution[];
}

/**
 * The failure-risk model port: a SageMaker endpoint in AWS and in the local stack. Rows are the
 * model's features (FAILURE_RISK_MODEL.featureNames order) as the online store holds them; a
 * missing value is undefined. One call scores any number of rows (one InvokeEndpoint per call).
 */
export interface FailureRiskModel {
  predict(rows: readonly (readonly (number | undefined)[])[]): Promise<FailureRiskPrediction[]>;
}

/** `unavailable`: no model served or the endpoint is down; `model-error`: the model refused the input. */
export type FailureRiskFailure = 'unavailable' | 'model-error';

export class FailureRiskModelError extends Error {
  constructor(
    readonly failure: FailureRiskFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FailureRiskModelError';
  }
}
