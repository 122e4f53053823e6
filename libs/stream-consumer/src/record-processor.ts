/** One Kinesis record as the consumer hands it to the processor. */
export interface ConsumedRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
  approximateArrivalTimestamp?: Date;
}

/**
 * The boundary between the shard consumer (leases, checkpoints, polling) and the router (sinks).
 * `process` resolves only when every sink has acknowledged every record of the batch (dead letters
 * included); the consumer then checkpoints the batch's last sequence number. A rejection means
 * "not acknowledged": the consumer retries the same batch (sinks are idempotent) and never
 * checkpoints past it, unless the failure is caused by records of the batch: then the batch is
 * split (docs/stream-consumer.md, "Retries and bisection") and the consumer calls `process` with
 * consecutive parts of it, in order, and `isolate` for each record that fails alone.
 */
export interface RecordProcessor {
  process(shardId: string, records: readonly ConsumedRecord[]): Promise<void>;
  /**
   * What a rejection of `process` means: `transient` (throttling, a backend down: retry the same
   * batch with backoff, for as long as it takes) or `record` (the backend refused something in the
   * batch: after the configured attempts the consumer bisects the batch to find the records).
   * Without it every rejection is transient.
   */
  classifyFailure?(error: unknown): FailureClass;
  /**
   * Stores one record the consumer isolated as failing on its own (a dead letter with the stage and
   * reason taken from `error`); resolves when stored, after which the consumer checkpoints past it.
   * Without it the consumer never bisects.
   */
  isolate?(shardId: string, record: ConsumedRecord, error: unknown): Promise<void>;
}

export type FailureClass = 'transient' | 'record';

export const RECORD_PROCESSOR = Symbol('RECORD_PROCESSOR');
