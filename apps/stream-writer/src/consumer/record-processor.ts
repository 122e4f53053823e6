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
 * checkpoints past it.
 */
export interface RecordProcessor {
  process(shardId: string, records: readonly ConsumedRecord[]): Promise<void>;
}

export const RECORD_PROCESSOR = Symbol('RECORD_PROCESSOR');
