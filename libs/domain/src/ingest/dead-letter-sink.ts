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
  /**
   * Set by the dead-letter encoding when the record's bytes did not fit one dead letter: then
   * `dataBase64` holds a prefix of them and `originalBytes` their full length.
   */
  dataTruncated?: true;
  originalBytes?: number;
}

/**
 * A reason is at most this many UTF-8 bytes: a reason may quote the input (a 1 MB `schemaVersion`
 * string), and a dead letter of any input must fit one Firehose record with room for its bytes.
 */
export const MAX_DEAD_LETTER_REASON_BYTES = 4 * 1024;

/** The reason cut to MAX_DEAD_LETTER_REASON_BYTES at a character boundary, saying how long it was. */
export function capReason(reason: string): string {
  if (reason.length <= MAX_DEAD_LETTER_REASON_BYTES / 4) return reason;
  const bytes = Buffer.from(reason, 'utf8');
  if (bytes.length <= MAX_DEAD_LETTER_REASON_BYTES) return reason;
  const note = ` … [reason cut, ${bytes.length} bytes]`;
  let end = MAX_DEAD_LETTER_REASON_BYTES - Buffer.byteLength(note);
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // never split a UTF-8 sequence
  return bytes.subarray(0, end).toString('utf8') + note;
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
    reason: capReason(reason),
    stage,
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey,
    dataBase64: Buffer.from(record.data).toString('base64'),
    ...(record.approximateArrivalTimestamp ? { arrivedAt: record.approximateArrivalTimestamp.toISOString() } : {}),
    deadLetteredAt: now.toISOString(),
  };
}
