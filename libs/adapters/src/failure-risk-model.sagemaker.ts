import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { FAILURE_RISK_MODEL } from '@plant/config';
import { FailureRiskModel, FailureRiskModelError, FailureRiskPrediction } from '@plant/domain';

export interface SageMakerFailureRiskOptions {
  endpointName?: string;
  /** Counts every InvokeEndpoint (tests and /metrics verify one call per batch). */
  onCall?: () => void;
}

interface EndpointAnswer {
  modelVersion?: unknown;
  predictions?: { probability?: unknown; label?: unknown; contributions?: unknown }[];
}

/**
 * FailureRiskModel on a SageMaker endpoint: every batch is one InvokeEndpoint with one CSV row per
 * asset (FAILURE_RISK_MODEL.featureNames order, an empty field for a missing value) asking for
 * JSON, which carries the model version and each feature's contribution. A ModelError the
 * container raised for the input is `model-error`; a container that has no model (original
 * status ≥ 500), an unknown endpoint, throttling or the network are `unavailable`.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 */
export class SageMakerFailureRiskModel implements FailureRiskModel {
  constructor(
    private readonly client: SageMakerRuntimeClient,
    private readonly options: SageMakerFailureRiskOptions = {},
  ) {}

  async predict(rows: readonly (readonly (number | undefined)[])[]): Promise<FailureRiskPrediction[]> {
    if (!rows.length) return [];
    const csv = rows.map((row) => row.map((v) => (v === undefined || !Number.isFinite(v) ? '' : String(v))).join(',')).join('\n');
    this.options.onCall?.();
    let body: Uint8Array | undefined;
    try {
      const out = await this.client.send(
        new InvokeEndpointCommand({ EndpointName: this.options.endpointName ?? FAILURE_RISK_MODEL.name, ContentType: 'text/csv', Accept: 'application/json', Body: Buffer.from(csv) }),
      );
      body = out.Body;
    } catch (err) {
      const refused = err instanceof ModelError && (err.OriginalStatusCode ?? 500) < 500;
      throw new FailureRiskModelError(refused ? 'model-error' : 'unavailable', `InvokeEndpoint failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    let answer: EndpointAnswer;
    try {
      answer = JSON.parse(Buffer.from(body ?? []).toString('utf8')) as EndpointAnswer;
    } catch (err) {
      throw new FailureRiskModelError('model-error', 'the endpoint answered no JSON', { cause: err });
    }
    const predictions = answer.predictions;
    if (!Array.isArray(predictions) || predictions.length !== rows.length || typeof answer.modelVersion !== 'string') {
      throw new FailureRiskModelError('model-error', `the endpoint answered ${Array.isArray(predictions) ? predictions.length : 'no'} predictions for ${rows.length} rows`);
    }
    const modelVersion = answer.modelVersion;
    return predictions.map((p) => ({
      probability: Number(p.probability),
      atRisk: p.label === 1,
      modelVersion,
      contributions: Array.isArray(p.contributions) ? (p.contributions as FailureRiskPrediction['contributions']) : [],
    }));
  }
}
