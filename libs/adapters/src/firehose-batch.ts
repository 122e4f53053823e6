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
 */
export async function putRecordBatches(client: FirehoseClient, deliveryStream: string, records: readonly Uint8Array[]): Promise<void> {
  let batch: FirehoseRecord[] = [];
  let bytes = 0;
  const calls: Promise<void>[] = [];
  for (const data of records) {
    if (data.length > FIREHOSE_RECORD_MAX_BYTES) throw new RangeError(`a Firehose record is at most ${FIREHOSE_RECORD_MAX_BYTES} bytes, got ${data.length}`);
    if (batch.length === PUT_RECORD_BATCH_MAX || bytes + data.length > PUT_RECORD_BATCH_MAX_BYTES) {
      calls.push(put(client, deliveryStream, batch));
      batch = [];
      bytes = 0;
    }
    batch.push({ Data: data });
    bytes += data.length;
  }
  if (batch.length) calls.push(put(client, deliveryStream, batch));
  const results = await Promise.allSettled(calls);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
}

async function put(client: FirehoseClient, deliveryStream: string, records: FirehoseRecord[]): Promise<void> {
  let pending = records;
  for (let attempt = 0; ; attempt++) {
    const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: deliveryStream, Records: pending }));
    if (!out.FailedPutCount) return;
    const failed = pending.filter((_, i) => out.RequestResponses?.[i]?.ErrorCode);
    if (attempt + 1 >= MAX_ATTEMPTS) {
      const sample = out.RequestResponses?.find((r) => r.ErrorCode);
      throw new PartialFailureError(`firehose PutRecordBatch ${deliveryStream}`, failed.length, `${sample?.ErrorCode}: ${sample?.ErrorMessage}`);
    }
    pending = failed;
    await sleep(backoffMs(attempt));
  }
}
