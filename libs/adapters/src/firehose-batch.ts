import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { sendInBatches } from '@plant/aws';
import { AwsLimits } from '@plant/config';
import { PartialFailureError } from '@plant/domain';
import { ENTRY_RETRY } from './entry-retry';

export const FIREHOSE_RECORD_MAX_BYTES = AwsLimits.firehose.recordMaxBytes;
/** Calls in flight per send: a stream batch of 10,000 events is ≤ 20 calls of 500. */
const CONCURRENT_CALLS = 16;

/**
 * Sends every record to a delivery stream in calls within the limits (AwsLimits.firehose: 500
 * records, 4 MiB); retries the entries Firehose reports failed. Callers keep each record within
 * FIREHOSE_RECORD_MAX_BYTES (the raw sink and the dead-letter encoding have a rule for larger ones);
 * a record over it here is a programming error.
 * `onAcknowledged` is told the indexes (into `records`) of the records Firehose
 * accepted, call by call, also when the whole send fails in the end: the caller can then avoid
 * sending them again (docs/stream-consumer.md, "Fewer duplicates on retry").
 */
export async function putRecordBatches(
  client: FirehoseClient,
  deliveryStream: string,
  records: readonly Uint8Array[],
  onAcknowledged?: (indexes: readonly number[]) => void,
): Promise<void> {
  // Checked before anything is sent, so that a record too large fails the send as a whole.
  const tooLarge = records.find((data) => data.length > FIREHOSE_RECORD_MAX_BYTES);
  if (tooLarge) throw new RangeError(`a Firehose record is at most ${FIREHOSE_RECORD_MAX_BYTES} bytes, got ${tooLarge.length}`);
  const { failed } = await sendInBatches({
    items: records.map((_, index) => index),
    limits: { maxEntries: AwsLimits.firehose.putRecordBatchMaxRecords, maxBytes: AwsLimits.firehose.putRecordBatchMaxBytes },
    sizeOf: (index) => records[index].length,
    concurrency: CONCURRENT_CALLS,
    send: async (indexes) => {
      const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: deliveryStream, Records: indexes.map((i) => ({ Data: records[i] })) }));
      return indexes.map((_, i) => {
        const response = out.FailedPutCount ? out.RequestResponses?.[i] : undefined;
        return response?.ErrorCode ? { code: response.ErrorCode, message: response.ErrorMessage } : undefined;
      });
    },
    onAccepted: onAcknowledged,
    retry: ENTRY_RETRY,
  });
  if (failed.length) throw new PartialFailureError(`firehose PutRecordBatch ${deliveryStream}`, failed.map((f) => f.failure));
}
