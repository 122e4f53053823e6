import { FirehoseClient, PutRecordBatchCommand, _Record as FirehoseRecord } from '@aws-sdk/client-firehose';
import { AwsLimits } from '@plant/config';
import { backoffMs, PartialFailureError, sleep } from './concurrency';

/** At most 500 records and 4 MiB per call, 1,000 KiB per record (AwsLimits.firehose). */
const PUT_RECORD_BATCH_MAX = AwsLimits.firehose.putRecordBatchMaxRecords;
const PUT_RECORD_BATCH_MAX_BYTES = AwsLimits.firehose.putRecordBatchMaxBytes;
export const FIREHOSE_RECORD_MAX_BYTES = AwsLimits.firehose.recordMaxBytes;
const MAX_ATTEMPTS = 6;

/**
 * Sends every record to a delivery stream in calls within the limits; retries the entries Firehose
 * reports failed. Callers keep each record within FIREHOSE_RECORD_MAX_BYTES (the raw sink and the
 * dead-letter encoding have a rule for larger ones); a record over it here is a programming error.
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
  let batch: number[] = [];
  let bytes = 0;
  const calls: Promise<void>[] = [];
  records.forEach((data, index) => {
    if (batch.length === PUT_RECORD_BATCH_MAX || bytes + data.length > PUT_RECORD_BATCH_MAX_BYTES) {
      calls.push(put(client, deliveryStream, records, batch, onAcknowledged));
      batch = [];
      bytes = 0;
    }
    batch.push(index);
    bytes += data.length;
  });
  if (batch.length) calls.push(put(client, deliveryStream, records, batch, onAcknowledged));
  const results = await Promise.allSettled(calls);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
}

async function put(
  client: FirehoseClient,
  deliveryStream: string,
  records: readonly Uint8Array[],
  indexes: number[],
  onAcknowledged: ((indexes: readonly number[]) => void) | undefined,
): Promise<void> {
  let pending = indexes;
  for (let attempt = 0; ; attempt++) {
    const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: deliveryStream, Records: pending.map((i): FirehoseRecord => ({ Data: records[i] })) }));
    const failed = out.FailedPutCount ? pending.filter((_, i) => out.RequestResponses?.[i]?.ErrorCode) : [];
    if (onAcknowledged && failed.length < pending.length) onAcknowledged(failed.length ? pending.filter((_, i) => !out.RequestResponses?.[i]?.ErrorCode) : pending);
    if (!failed.length) return;
    if (attempt + 1 >= MAX_ATTEMPTS) {
      const sample = out.RequestResponses?.find((r) => r.ErrorCode);
      throw new PartialFailureError(`firehose PutRecordBatch ${deliveryStream}`, failed.length, `${sample?.ErrorCode}: ${sample?.ErrorMessage}`);
    }
    pending = failed;
    await sleep(backoffMs(attempt));
  }
}
