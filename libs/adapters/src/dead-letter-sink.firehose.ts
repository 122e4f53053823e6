import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { capReason } from '@plant/domain';
import type { DeadLetter, DeadLetterSink } from '@plant/domain';
import { FIREHOSE_RECORD_MAX_BYTES, putRecordBatches } from './firehose-batch';

/**
 * Dead letters to their own Firehose stream, which writes them under `dlq/dt=<date dead-lettered>/`
 * in the lake: the same delivery machinery as the raw zone (buffering, retries, S3 in AWS, the lake
 * folder locally), and nothing the stream-writer must flush itself before a crash.
 */
export class FirehoseDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly client: FirehoseClient,
    private readonly options: { deliveryStreamName: string },
  ) {}

  put(letters: readonly DeadLetter[], onAcknowledged?: (indexes: readonly number[]) => void): Promise<void> {
    return putRecordBatches(this.client, this.options.deliveryStreamName, letters.map(encodeDeadLetter), onAcknowledged);
  }
}

/**
 * One JSON line per dead letter, always within one Firehose record (1,000 KiB), whatever the input:
 * the reason is capped (capReason), and a record whose base64 bytes do not fit keeps the longest
 * prefix that does, with `dataTruncated: true` and `originalBytes` (Kinesis records go up to 1 MiB,
 * base64 makes them 4/3 larger, so records above ≈ 750 KB are cut).
 */
export function encodeDeadLetter(letter: DeadLetter): Uint8Array {
  const capped: DeadLetter = { ...letter, reason: capReason(letter.reason) };
  const line = Buffer.from(JSON.stringify(capped));
  if (line.length <= FIREHOSE_RECORD_MAX_BYTES) return line;
  const originalBytes = base64Length(letter.dataBase64);
  const shell = Buffer.byteLength(JSON.stringify({ ...capped, dataBase64: '', dataTruncated: true, originalBytes }));
  // base64 characters are one byte each inside a JSON string; whole 4-character groups keep the prefix decodable.
  const room = Math.max(0, FIREHOSE_RECORD_MAX_BYTES - shell);
  const dataBase64 = letter.dataBase64.slice(0, room - (room % 4));
  return Buffer.from(JSON.stringify({ ...capped, dataBase64, dataTruncated: true, originalBytes }));
}

/** Bytes encoded by a base64 string. */
function base64Length(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
