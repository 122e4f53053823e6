import type { IncomingMessage, ServerResponse } from 'node:http';
import { FEATURE_GROUPS, FeatureGroupDefinition } from '@plant/config';
import { AwsApiError } from '../aws-json-handler';
import type { ServiceRoute } from '../local-aws-stack';
import { FeatureRecords, FeatureValue, notFound, parseEventTime, validationError } from './featurestore-records';

/**
 * SageMaker Feature Store runtime (REST-JSON, as `@aws-sdk/client-sagemaker-featurestore-runtime`
 * sends it: `PUT|GET|DELETE /FeatureGroup/{name}`, `POST /BatchGetRecord`). Limits and rules from
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Operations_Amazon_SageMaker_Feature_Store_Runtime.html
 * — BatchGetRecord takes 1–10 identifiers of 1–100 record ids each; errors carry `X-Amzn-ErrorType`.
 */
export const MAX_BATCH_IDENTIFIERS = 10;
export const MAX_RECORD_IDS_PER_IDENTIFIER = 100;

export interface FeatureStoreOptions {
  dataDir?: string;
  /** The lake folder: the offline store writes under `features/`. */
  lakeDir?: string;
  groups?: readonly FeatureGroupDefinition[];
  /**
   * Test knob: records a BatchGetRecord call answers at most; the rest come back as
   * `UnprocessedIdentifiers` (AWS does so when a call runs out of time or capacity).
   */
  maxRecordsPerBatchCall?: number;
  now?: () => number;
}

interface Identifier {
  FeatureGroupName?: unknown;
  RecordIdentifiersValueAsString?: unknown;
  FeatureNames?: unknown;
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

export function featureStoreRoutes(options: FeatureStoreOptions = {}): ServiceRoute[] {
  const records = new FeatureRecords(options.groups ?? FEATURE_GROUPS, options.lakeDir, options.dataDir);
  const now = options.now ?? Date.now;

  const project = (group: FeatureGroupDefinition, record: FeatureValue[], names: string[] | undefined): FeatureValue[] => {
    if (!names?.length) return record;
    for (const name of names) {
      if (!group.features.some((f) => f.name === name)) throw validationError(`Feature ${name} is not defined in feature group ${group.name}`);
    }
    return record.filter((v) => names.includes(v.FeatureName));
  };

  const putRecord = (groupName: string, body: Record<string, unknown>) => {
    const group = records.group(groupName);
    const record = body.Record;
    if (!Array.isArray(record) || record.length === 0) throw validationError('Record must be a non-empty list of FeatureName/ValueAsString');
    const values: FeatureValue[] = [];
    const seen = new Set<string>();
    for (const item of record as unknown[]) {
      const { FeatureName: name, ValueAsString: value } = (item ?? {}) as Record<string, unknown>;
      if (typeof name !== 'string' || typeof value !== 'string') throw validationError('Every Record entry needs FeatureName and ValueAsString strings');
      const feature = group.features.find((f) => f.name === name);
      if (!feature) throw validationError(`Feature ${name} is not defined in feature group ${group.name}`);
      if (seen.has(name)) throw validationError(`Feature ${name} appears more than once in the record`);
      if (feature.type === 'Integral' && !/^-?\d+$/.test(value)) throw validationError(`Invalid value "${value}" for Integral feature ${name}`);
      if (feature.type === 'Fractional' && (value.trim() === '' || !Number.isFinite(Number(value)))) throw validationError(`Invalid value "${value}" for Fractional feature ${name}`);
      seen.add(name);
      values.push({ FeatureName: name, ValueAsString: value });
    }
    const id = values.find((v) => v.FeatureName === group.recordIdentifierFeatureName)?.ValueAsString;
    if (!id) throw validationError(`The record identifier feature ${group.recordIdentifierFeatureName} is required`);
    const eventTimeMs = parseEventTime(values.find((v) => v.FeatureName === group.eventTimeFeatureName)?.ValueAsString, group.eventTimeFeatureName);
    const ttl = body.TtlDuration as { Unit?: unknown; Value?: unknown } | undefined;
    const stores = targetStores(body.TargetStores);
    records.put(group, id, { record: values, eventTimeMs, expiresAtMs: ttl ? eventTimeMs + ttlMs(ttl) : undefined }, stores.online, stores.offline);
    return {};
  };

  const getRecord = (groupName: string, query: URLSearchParams) => {
    const group = records.group(groupName);
    const id = query.get('RecordIdentifierValueAsString');
    if (!id) throw validationError('RecordIdentifierValueAsString is required');
    const stored = records.get(group, id, now());
    if (!stored) return {}; // AWS answers 200 without a Record for an unknown or expired id
    const out: Record<string, unknown> = { Record: project(group, stored.record, query.getAll('FeatureName')) };
    if (query.get('ExpirationTimeResponse') === 'Enabled' && stored.expiresAtMs !== undefined) out.ExpiresAt = new Date(stored.expiresAtMs).toISOString();
    return out;
  };

  const deleteRecord = (groupName: string, query: URLSearchParams) => {
    const group = records.group(groupName);
    const id = query.get('RecordIdentifierValueAsString');
    if (!id) throw validationError('RecordIdentifierValueAsString is required');
    const eventTimeMs = parseEventTime(query.get('EventTime') ?? undefined, 'EventTime');
    const stores = targetStores(query.getAll('TargetStores'));
    records.delete(group, id, eventTimeMs, stores.online, stores.offline);
    return {};
  };

  const batchGetRecord = (body: Record<string, unknown>) => {
    const identifiers = body.Identifiers;
    if (!Array.isArray(identifiers) || identifiers.length < 1 || identifiers.length > MAX_BATCH_IDENTIFIERS) {
      throw validationError(`Identifiers must hold 1 to ${MAX_BATCH_IDENTIFIERS} entries`);
    }
    const withExpiry = body.ExpirationTimeResponse === 'Enabled';
    const out = { Records: [] as unknown[], Errors: [] as unknown[], UnprocessedIdentifiers: [] as unknown[] };
    let budget = options.maxRecordsPerBatchCall ?? Number.POSITIVE_INFINITY;
    for (const raw of identifiers as Identifier[]) {
      const { FeatureGroupName: name, RecordIdentifiersValueAsString: ids, FeatureNames: names } = raw ?? {};
      if (typeof name !== 'string' || !isStringList(ids) || ids.length < 1 || ids.length > MAX_RECORD_IDS_PER_IDENTIFIER) {
        throw validationError(`Each identifier needs FeatureGroupName and 1 to ${MAX_RECORD_IDS_PER_IDENTIFIER} RecordIdentifiersValueAsString`);
      }
      if (names !== undefined && !isStringList(names)) throw validationError('FeatureNames must be a list of strings');
      const group = records.group(name);
      const unprocessed: string[] = [];
      for (const id of ids) {
        if (budget <= 0) {
          unprocessed.push(id);
          continue;
        }
        budget--;
        const stored = records.get(group, id, now());
        if (!stored) continue;
        const result: Record<string, unknown> = { FeatureGroupName: name, RecordIdentifierValueAsString: id, Record: project(group, stored.record, names) };
        if (withExpiry && stored.expiresAtMs !== undefined) result.ExpiresAt = new Date(stored.expiresAtMs).toISOString();
        out.Records.push(result);
      }
      if (unprocessed.length) out.UnprocessedIdentifiers.push({ FeatureGroupName: name, RecordIdentifiersValueAsString: unprocessed, ...(names ? { FeatureNames: names } : {}) });
    }
    return out;
  };

  const handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://local');
    try {
      const parsed = parseBody(body, req.method);
      let result: unknown;
      const groupPath = /^\/FeatureGroup\/([^/]+)$/.exec(url.pathname);
      if (url.pathname === '/BatchGetRecord' && req.method === 'POST') result = batchGetRecord(parsed);
      else if (groupPath && req.method === 'PUT') result = putRecord(decodeURIComponent(groupPath[1]), parsed);
      else if (groupPath && req.method === 'GET') result = getRecord(decodeURIComponent(groupPath[1]), url.searchParams);
      else if (groupPath && req.method === 'DELETE') result = deleteRecord(decodeURIComponent(groupPath[1]), url.searchParams);
      else throw notFound(`The local Feature Store runtime serves no ${req.method} ${url.pathname}`);
      send(res, 200, result);
    } catch (err) {
      const error = err instanceof AwsApiError ? err : new AwsApiError('InternalFailure', err instanceof Error ? err.message : String(err), 500);
      send(res, error.statusCode, { message: error.message, Message: error.message }, error.type);
    }
  };
  return [
    { name: 'sagemaker-featurestore-runtime', pathPrefix: '/FeatureGroup/', handler },
    { name: 'sagemaker-featurestore-runtime-batch', pathPrefix: '/BatchGetRecord', handler },
  ];
}

function parseBody(body: Buffer, method: string | undefined): Record<string, unknown> {
  if (method === 'GET' || method === 'DELETE' || body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw validationError('Request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw validationError('Request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function targetStores(raw: unknown): { online: boolean; offline: boolean } {
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) return { online: true, offline: true };
  if (!isStringList(raw) || raw.some((s) => s !== 'OnlineStore' && s !== 'OfflineStore')) throw validationError('TargetStores must be OnlineStore and/or OfflineStore');
  return { online: raw.includes('OnlineStore'), offline: raw.includes('OfflineStore') };
}

const UNIT_MS: Record<string, number> = { Seconds: 1000, Minutes: 60_000, Hours: 3_600_000, Days: 86_400_000, Weeks: 604_800_000 };

function ttlMs(ttl: { Unit?: unknown; Value?: unknown }): number {
  const unit = typeof ttl.Unit === 'string' ? UNIT_MS[ttl.Unit] : undefined;
  if (!unit || typeof ttl.Value !== 'number' || !Number.isInteger(ttl.Value) || ttl.Value < 1) {
    throw validationError('TtlDuration needs Unit (Seconds, Minutes, Hours, Days, Weeks) and a positive integer Value');
  }
  return unit * ttl.Value;
}

function send(res: ServerResponse, status: number, payload: unknown, errorType?: string): void {
  const text = JSON.stringify(payload);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
  if (errorType) headers['X-Amzn-ErrorType'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}
