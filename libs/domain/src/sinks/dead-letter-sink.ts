/** A record that could not be routed, kept with the reason and its original bytes. */
export interface DeadLetter {
  reason: string;
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  /** base64 of the record's bytes exactly as they arrived */
  dataBase64: string;
  arrivedAt?: string;
  deadLetteredAt: string;
  /** which step refused it (decode, trend-store, …) */
  stage: string;
}

/** Where dead letters go: never dropped, never a crash. Resolves only when they are stored. */
export interface DeadLetterSink {
  /** `onAcknowledged` gets the indexes of the letters stored so far, also when the put fails in the end. */
  put(letters: readonly DeadLetter[], onAcknowledged?: (indexes: readonly number[]) => void): Promise<void>;
}

export function deadLetterOf(
  record: { shardId: string; sequenceNumber: string; partitionKey: string; data: Uint8Array; approximateArrivalTimestamp?: Date },
  stage: string,
  reason: string,
  now: Date,
): DeadLetter {
  return {
    reason,
    stage,
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey,
    dataBase64: Buffer.from(record.data).toString('base64'),
    ...(record.approximateArrivalTimestamp ? { arrivedAt: record.approximateArrivalTimestamp.toISOString() } : {}),
    deadLetteredAt: now.toISOString(),
  };
}
