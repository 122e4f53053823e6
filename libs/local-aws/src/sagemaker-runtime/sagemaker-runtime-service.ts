import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAILURE_RISK_MODEL } from '@plant/config';
import { FailureRiskArtefact, scoreFailureRisk } from '@plant/domain';
import type { ServiceRoute } from '../local-aws-stack';
import { ServedModel } from './served-model';

/**
 * SageMaker runtime `InvokeEndpoint` (REST-JSON as `@aws-sdk/client-sagemaker-runtime` sends it:
 * `POST /endpoints/{EndpointName}/invocations`, the payload as the raw body, its type in
 * Content-Type, the wanted answer type in Accept). It plays the endpoint of infra's MlPlatform: one
 * production variant `primary` serving the current failure-risk artefact, answering what
 * infra/model/inference.py answers in AWS. Errors as the API documents them:
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html —
 * an unknown endpoint is a ValidationError (400); input the model refuses is a ModelError (424)
 * carrying the container's own status in OriginalStatusCode.
 */
export const PRODUCTION_VARIANT = 'primary';

export interface SageMakerRuntimeOptions {
  lakeDir: string;
  /** How often the current-model pointer is re-read (a new version is served within it). */
  pointerTtlMs?: number;
}

class InvokeError extends Error {
  constructor(
    readonly type: 'ValidationError' | 'ModelError',
    message: string,
    readonly statusCode: number,
    readonly originalStatusCode?: number,
  ) {
    super(message);
  }
}

const modelError = (originalStatusCode: number, message: string) => new InvokeError('ModelError', message, 424, originalStatusCode);

export function sageMakerRuntimeRoute(options: SageMakerRuntimeOptions): ServiceRoute {
  const model = new ServedModel(options.lakeDir, options.pointerTtlMs);
  const handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    try {
      const match = /^\/endpoints\/([^/]+)\/invocations$/.exec(new URL(req.url ?? '/', 'http://local').pathname);
      if (!match || req.method !== 'POST') throw new InvokeError('ValidationError', `The local SageMaker runtime serves no ${req.method} ${req.url}`, 400);
      const endpoint = decodeURIComponent(match[1]);
      if (endpoint !== FAILURE_RISK_MODEL.name) throw new InvokeError('ValidationError', `Endpoint ${endpoint} of account 000000000000 not found.`, 400);
      const state = model.current();
      if (!state.ok) throw modelError(503, state.reason);
      const rows = parseRows(state.artefact, String(req.headers['content-type'] ?? ''), body);
      const scores = rows.map((row) => scoreFailureRisk(state.artefact, row));
      const accept = String(req.headers.accept ?? 'application/json');
      const headers = { 'X-Amzn-Invoked-Production-Variant': PRODUCTION_VARIANT, 'X-Amzn-SageMaker-Custom-Attributes': `model-version=${state.artefact.version}` };
      if (accept.startsWith('text/csv')) {
        reply(res, 200, 'text/csv', scores.map((s) => String(s.probability)).join('\n'), headers);
      } else if (accept.startsWith('application/json') || accept.startsWith('*/*')) {
        const predictions = scores.map((s) => ({ probability: s.probability, label: s.probability >= state.artefact.threshold ? 1 : 0, contributions: s.contributions }));
        reply(res, 200, 'application/json', JSON.stringify({ modelVersion: state.artefact.version, predictions }), headers);
      } else {
        throw modelError(406, `Accept ${accept} is not served: use application/json or text/csv`);
      }
    } catch (err) {
      const error = err instanceof InvokeError ? err : new InvokeError('ModelError', err instanceof Error ? err.message : String(err), 424, 500);
      const payload: Record<string, unknown> = { Message: error.message, message: error.message };
      if (error.originalStatusCode !== undefined) Object.assign(payload, { OriginalStatusCode: error.originalStatusCode, OriginalMessage: error.message });
      reply(res, error.statusCode, 'application/json', JSON.stringify(payload), { 'X-Amzn-ErrorType': error.type });
    }
  };
  return { name: 'sagemaker-runtime', pathPrefix: '/endpoints/', handler };
}

/** CSV: one row per line, values in the artefact's feature order, an empty field = missing. JSON: `{ instances: [[…] | {name: value}] }`. */
function parseRows(artefact: FailureRiskArtefact, contentType: string, body: Buffer): (number | undefined)[][] {
  const width = artefact.features.length;
  const cell = (raw: unknown, where: string): number | undefined => {
    if (raw === undefined || raw === null || raw === '') return undefined;
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value)) throw modelError(400, `${where}: ${JSON.stringify(raw)} is not a number`);
    return value;
  };
  if (contentType.startsWith('text/csv')) {
    const lines = body.toString('utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
    if (!lines.length) throw modelError(400, 'the CSV payload holds no rows');
    return lines.map((line, i) => {
      const fields = line.split(',');
      if (fields.length !== width) throw modelError(400, `row ${i + 1} has ${fields.length} values, the model takes ${width}: ${artefact.features.join(',')}`);
      return fields.map((field, j) => cell(field.trim(), `row ${i + 1} ${artefact.features[j]}`));
    });
  }
  if (contentType.startsWith('application/json')) {
    let parsed: { instances?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as { instances?: unknown };
    } catch {
      throw modelError(400, 'the JSON payload does not parse');
    }
    if (!Array.isArray(parsed?.instances) || !parsed.instances.length) throw modelError(400, 'the JSON payload needs a non-empty "instances" list');
    return parsed.instances.map((instance: unknown, i) => {
      if (Array.isArray(instance)) {
        if (instance.length !== width) throw modelError(400, `instance ${i} has ${instance.length} values, the model takes ${width}`);
        return instance.map((v, j) => cell(v, `instance ${i} ${artefact.features[j]}`));
      }
      if (typeof instance !== 'object' || instance === null) throw modelError(400, `instance ${i} is neither a list nor an object of features`);
      const record = instance as Record<string, unknown>;
      const unknown = Object.keys(record).filter((name) => !artefact.features.includes(name));
      if (unknown.length) throw modelError(400, `instance ${i} names features the model does not take: ${unknown.join(', ')}`);
      return artefact.features.map((name) => cell(record[name], `instance ${i} ${name}`));
    });
  }
  throw modelError(415, `Content-Type ${contentType || '(none)'} is not served: use text/csv or application/json`);
}

function reply(res: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
