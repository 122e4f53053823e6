import pMap from 'p-map';
import pRetry from 'p-retry';

/** Why the service refused one entry of a batch call (its per-entry error code and message). */
export interface EntryFailure {
  code: string;
  message?: string;
}

/** The per-call limits of a batch API (from `AwsLimits` in `@plant/config`). */
export interface BatchLimits {
  maxEntries: number;
  /** Sum of `sizeOf` over one call's entries. */
  maxBytes?: number;
}

/**
 * Attempts per entry (the first included) and the exponential backoff between them: attempt n
 * waits min(maxDelayMs, minDelayMs × 2^(n-1) × random[1, 2)) — p-retry's `randomize`, so entries
 * refused together do not come back in step.
 */
export interface RetryPolicy {
  attempts: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export interface SendInBatchesOptions<T> {
  items: readonly T[];
  limits: BatchLimits;
  /** Size one entry counts towards `limits.maxBytes`. */
  sizeOf?: (item: T) => number;
  /** Ends the current batch before `item` (EventBridge: one alert at most once per call). */
  startsNewBatch?: (batch: readonly T[], item: T) => boolean;
  /** Calls in flight at once; 1 (the default) sends batches in order, each finished before the next. */
  concurrency?: number;
  /**
   * With concurrency 1: once a batch gives up, later batches are not sent (they land in `notSent`),
   * so that a later change never overtakes an earlier one that failed.
   */
  stopAfterFailure?: boolean;
  /** Sends one batch; answers per entry, in order: undefined when accepted, the failure when refused. */
  send: (batch: readonly T[]) => Promise<readonly (EntryFailure | undefined)[]>;
  /** Entry failures worth another attempt; by default every one. The others are reported at once. */
  isRetryable?: (failure: EntryFailure) => boolean;
  /**
   * A call that throws: by default the error is rethrown once every other batch has settled. Return
   * a failure to count every entry of the batch as refused with it instead (retried when `retryable`).
   */
  failureOfCallError?: (error: unknown) => (EntryFailure & { retryable: boolean }) | undefined;
  /** Told the entries the service accepted, call by call (also when the send fails in the end). */
  onAccepted?: (items: readonly T[]) => void;
  retry: RetryPolicy;
}

export interface FailedEntry<T> {
  item: T;
  failure: EntryFailure;
}

export interface SendReport<T> {
  /** Entries still refused after every attempt, or refused for a reason not worth retrying: the caller dead-letters or throws. */
  failed: FailedEntry<T>[];
  /** Entries never sent because an earlier batch gave up (`stopAfterFailure`). */
  notSent: T[];
  /** Calls made, retries included. */
  calls: number;
  /** Entries sent again. */
  retried: number;
}

/** Thrown inside p-retry to ask for another attempt with the entries still pending. */
class EntriesPending extends Error {
  constructor(readonly failures: FailedEntry<unknown>[]) {
    super(`${failures.length} entries refused`);
  }
}

/**
 * Stops p-retry for a call error to rethrow as it is: carried beside p-retry rather than through
 * it, because p-retry rejects anything that is not `instanceof Error` in this realm (SDK and socket
 * errors are not, under jest's VM sandbox) and would lose its name and metadata.
 */
class CallFailed extends pRetry.AbortError {
  constructor(readonly error: unknown) {
    super('call failed');
    // p-retry rejects with `originalError`: this very object, so the catch below finds `error`.
    Object.assign(this, { originalError: this });
  }
}

/**
 * The one "send in batches, retry only the failed entries" loop of the platform, for the AWS batch
 * APIs that accept part of a call (Kinesis PutRecords, Firehose PutRecordBatch, EventBridge
 * PutEvents, DynamoDB BatchGetItem's UnprocessedKeys): chunks `items` by the service's limits,
 * sends with bounded concurrency (p-map), sends again only what was refused, with backoff and
 * jitter (p-retry), and reports what is still refused instead of throwing, so that each caller
 * applies its own rule (throw a PartialFailure, dead-letter, count).
 */
export async function sendInBatches<T>(options: SendInBatchesOptions<T>): Promise<SendReport<T>> {
  const report: SendReport<T> = { failed: [], notSent: [], calls: 0, retried: 0 };
  let callError: { error: unknown } | undefined;
  const sendBatch = async (batch: readonly T[]): Promise<void> => {
    if (options.stopAfterFailure && (callError || report.failed.length)) {
      report.notSent.push(...batch);
      return;
    }
    let pending = batch;
    try {
      await pRetry(
        async (attempt) => {
          if (attempt > 1) report.retried += pending.length;
          report.calls++;
          const failures = await attemptOnce(options, pending, report);
          const retry: FailedEntry<T>[] = [];
          for (const f of failures) (options.isRetryable?.(f.failure) ?? true ? retry : report.failed).push(f);
          pending = retry.map((f) => f.item);
          if (retry.length) throw new EntriesPending(retry);
        },
        { retries: options.retry.attempts - 1, factor: 2, minTimeout: options.retry.minDelayMs, maxTimeout: options.retry.maxDelayMs, randomize: true },
      );
    } catch (error) {
      if (error instanceof EntriesPending) report.failed.push(...(error.failures as FailedEntry<T>[]));
      else callError ??= { error: error instanceof CallFailed ? error.error : error };
    }
  };
  await pMap(batchesOf(options), sendBatch, { concurrency: options.concurrency ?? 1 });
  if (callError) throw callError.error;
  return report;
}

/** One call with the entries still pending: the refused ones, or an abort for a call error to rethrow. */
async function attemptOnce<T>(options: SendInBatchesOptions<T>, pending: readonly T[], report: SendReport<T>): Promise<FailedEntry<T>[]> {
  let outcomes: readonly (EntryFailure | undefined)[];
  try {
    outcomes = await options.send(pending);
  } catch (error) {
    const failure = options.failureOfCallError?.(error);
    if (!failure) throw new CallFailed(error);
    const failed = pending.map((item) => ({ item, failure: { code: failure.code, message: failure.message } }));
    if (failure.retryable) return failed;
    report.failed.push(...failed);
    return [];
  }
  const failed: FailedEntry<T>[] = [];
  const accepted: T[] = [];
  pending.forEach((item, i) => {
    const failure = outcomes[i];
    if (failure) failed.push({ item, failure });
    else accepted.push(item);
  });
  if (accepted.length) options.onAccepted?.(accepted);
  return failed;
}

/** Consecutive batches within the limits, in the items' order. An item over `maxBytes` alone still forms a batch (callers check sizes first). */
function batchesOf<T>({ items, limits, sizeOf, startsNewBatch }: SendInBatchesOptions<T>): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf?.(item) ?? 0;
    const full = batch.length === limits.maxEntries || (limits.maxBytes !== undefined && bytes + size > limits.maxBytes);
    if (batch.length > 0 && (full || startsNewBatch?.(batch, item))) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}
