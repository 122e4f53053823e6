/** A record for a stream: bytes and the key that picks its shard (the asset id, for per-asset order). */
export interface OutgoingRecord {
  partitionKey: string;
  data: Uint8Array;
}

export interface FailedRecord {
  record: OutgoingRecord;
  errorCode: string;
  errorMessage: string;
}

export interface PutOutcome {
  /** Records the stream accepted. */
  sent: number;
  /** Records still refused after every retry; the caller decides (the CLI reports them, never drops silently). */
  failed: FailedRecord[];
  /** Entries sent again after a partial failure or a failed call. */
  retried: number;
  /** Requests made, retries included. */
  calls: number;
}

/** Where the simulator's records go: the port; `KinesisPublisher` is the Kinesis adapter. */
export interface RecordSink {
  put(records: readonly OutgoingRecord[]): Promise<PutOutcome>;
  close(): void;
}
