import {
  BatchGetRecordCommand,
  BatchGetRecordIdentifier,
  PutRecordCommand,
  SageMakerFeatureStoreRuntimeClient,
} from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { FeatureRecordRead, FeatureRecordWrite, FeatureStore, InvalidArgumentError, UnavailableError } from '@plant/domain';
import { forEachLimited, sendInBatches } from '@plant/aws';
import { classifyFailure } from './failure-class';
import { toDomainError } from './sdk-errors';

/**
 * BatchGetRecord takes at most 100 record ids per identifier (and 10 identifiers per call); we
 * send one identifier of ≤ 100 ids per call so that one DataLoader batch of 100 is one call.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_feature_store_BatchGetRecord.html
 */
export const BATCH_GET_MAX_RECORD_IDS = 100;

const SERVICE = 'featurestore';

export interface SageMakerFeatureStoreOptions {
  /** PutRecord calls in flight at once (Feature Store has no batch write in every region). */
  putConcurrency?: number;
  /** Rounds of retrying UnprocessedIdentifiers before giving up with `unavailable`. */
  maxUnprocessedRetries?: number;
  retryBaseMs?: number;
  /** Counts every SDK call (tests and /metrics verify the batching). */
  onCall?: (operation: 'BatchGetRecord' | 'PutRecord') => void;
}

/**
 * FeatureStore on the SageMaker Feature Store runtime: PutRecord per record (TtlDuration = the
 * group's retention), BatchGetRecord in calls of ≤ 100 ids with `ExpiresAt`, the identifiers the
 * service left unprocessed asked again with backoff. SDK errors become domain errors:
 * ResourceNotFound → `unknown-feature-group`, ValidationError → `invalid-request`, the rest
 * (throttling, 5xx, network) → `unavailable`.
 */
export class SageMakerFeatureStore implements FeatureStore {
  constructor(
    private readonly client: SageMakerFeatureStoreRuntimeClient,
    private readonly options: SageMakerFeatureStoreOptions = {},
  ) {}

  async putRecords(records: readonly FeatureRecordWrite[]): Promise<void> {
    await forEachLimited(records, this.options.putConcurrency ?? 8, async (record) => {
      this.options.onCall?.('PutRecord');
      await this.call(record.featureGroupName, () =>
        this.client.send(
          new PutRecordCommand({
            FeatureGroupName: record.featureGroupName,
            Record: Object.entries(record.values).map(([FeatureName, ValueAsString]) => ({ FeatureName, ValueAsString })),
            ...(record.retentionSeconds ? { TtlDuration: { Unit: 'Seconds', Value: record.retentionSeconds } } : {}),
          }),
        ),
      );
    });
  }

  async batchGetRecords(featureGroupName: string, recordIds: readonly string[], featureNames?: readonly string[]): Promise<Map<string, FeatureRecordRead>> {
    const found = new Map<string, FeatureRecordRead>();
    const { failed } = await sendInBatches({
      items: [...new Set(recordIds)],
      limits: { maxEntries: BATCH_GET_MAX_RECORD_IDS },
      concurrency: 4,
      send: async (batch) => {
        this.options.onCall?.('BatchGetRecord');
        const identifier: BatchGetRecordIdentifier = { FeatureGroupName: featureGroupName, RecordIdentifiersValueAsString: [...batch], ...(featureNames?.length ? { FeatureNames: [...featureNames] } : {}) };
        const out = await this.call(featureGroupName, () => this.client.send(new BatchGetRecordCommand({ Identifiers: [identifier], ExpirationTimeResponse: 'Enabled' })));
        for (const result of out.Records ?? []) {
          if (!result.RecordIdentifierValueAsString) continue;
          const values: Record<string, string> = {};
          for (const value of result.Record ?? []) if (value.FeatureName && value.ValueAsString !== undefined) values[value.FeatureName] = value.ValueAsString;
          found.set(result.RecordIdentifierValueAsString, { recordId: result.RecordIdentifierValueAsString, values, expiresAt: result.ExpiresAt });
        }
        const errors = out.Errors ?? [];
        if (errors.length) throw new UnavailableError(SERVICE, 'server-error', { detail: `BatchGetRecord failed for ${errors.length} records of ${featureGroupName}: ${errors[0].ErrorCode} ${errors[0].ErrorMessage}` });
        // Only the ids the service left unprocessed are asked again (sendInBatches' backoff).
        const unprocessed = new Set((out.UnprocessedIdentifiers ?? []).flatMap((u) => u.RecordIdentifiersValueAsString ?? []));
        return batch.map((id) => (unprocessed.has(id) ? { code: 'UnprocessedIdentifiers' } : undefined));
      },
      retry: { attempts: (this.options.maxUnprocessedRetries ?? 5) + 1, minDelayMs: this.options.retryBaseMs ?? 20, maxDelayMs: 1_000 },
    });
    if (failed.length) throw new UnavailableError(SERVICE, 'throttled', { detail: `${failed.length} records of ${featureGroupName} still unprocessed after the retries` });
    return found;
  }

  private async call<T>(featureGroupName: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw toFeatureStoreError(err, featureGroupName);
    }
  }
}

/**
 * SDK errors as domain errors: a missing group is a deployment fault (UnavailableError
 * `missing-resource`), a refused record an InvalidArgumentError (the consumer dead-letters it after
 * bisecting), everything else (throttling, 5xx, network) an UnavailableError the consumer retries.
 */
function toFeatureStoreError(err: unknown, featureGroupName: string): unknown {
  const name = (err as { name?: string } | null)?.name ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'ResourceNotFound') return new UnavailableError(SERVICE, 'missing-resource', { cause: err, detail: `feature group ${featureGroupName} does not exist` });
  if (name === 'ValidationError' && classifyFailure(err) === 'record') return new InvalidArgumentError('record', `Feature Store refused the request: ${message}`);
  const domain = toDomainError(err, SERVICE);
  return domain instanceof UnavailableError ? domain : new UnavailableError(SERVICE, 'server-error', { cause: err, detail: message });
}

