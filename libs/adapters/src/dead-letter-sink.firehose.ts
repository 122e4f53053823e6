import type { FirehoseClient } from '@aws-sdk/client-firehose';
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
 * One JSON line per dead letter. A record too big for Firehose once base64-encoded keeps its reason
 * and a prefix of its bytes (`dataTruncated: true`) instead of failing the whole batch: Kinesis records are at most
 * 1 MiB, so this only happens for records near that limit.
 */
export function encodeDeadLetter(letter: DeadLetter): Uint8Array {
  const line = Buffer.from(JSON.stringify(letter));
  if (line.length <= FIREHOSE_RECORD_MAX_BYTES) return line;
  const room = FIREHOSE_RECORD_MAX_BYTES - 2_048 - Buffer.byteLength(letter.reason);
  const truncated = { ...letter, dataBase64: letter.dataBase64.slice(0, Math.max(0, room - (room % 4))), dataTruncated: true };
  return Buffer.from(JSON.stringify(truncated));
}
