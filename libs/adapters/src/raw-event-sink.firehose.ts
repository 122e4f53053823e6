import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { RawEvent, RawEventSink } from '@plant/domain';
import { putRecordBatches } from './firehose-batch';

/**
 * The cold path: each valid event's original bytes to the raw-zone delivery stream, which
 * partitions by `source` and the date/hour of `eventTime` (dynamic partitioning on the JSON) and
 * appends the newline delimiter itself. At-least-once: a replay can write an event twice; the ETL
 * deduplicates the raw zone by eventId.
 */
export class FirehoseRawEventSink implements RawEventSink {
  constructor(
    private readonly client: FirehoseClient,
    private readonly options: { deliveryStreamName: string },
  ) {}

  put(events: readonly RawEvent[], onAcknowledged?: (indexes: readonly number[]) => void): Promise<void> {
    return putRecordBatches(this.client, this.options.deliveryStreamName, events.map((e) => e.data), onAcknowledged);
  }
}
