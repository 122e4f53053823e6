import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { decodePlantEvent } from '@plant/contracts';
import type { RawEvent, RawEventSink } from '@plant/domain';
import { FIREHOSE_RECORD_MAX_BYTES, putRecordBatches } from './firehose-batch';

/**
 * The cold path: each valid event's original bytes to the raw-zone delivery stream, which
 * partitions by `source` and the date/hour of `eventTime` (dynamic partitioning on the JSON) and
 * appends the newline delimiter itself. At-least-once: a replay can write an event twice; the ETL
 * deduplicates the raw zone by eventId.
 *
 * Size rule: Kinesis takes records up to 1 MiB, a Firehose record is at most 1,000 KiB. A valid
 * event above that (only possible with fields the contract does not know, or padding) is stored as
 * the contract reads it — every contract field, unknown fields dropped, a few KB at most — with
 * `rawOriginalBytes` set to the size of the record as it arrived. Nothing the platform reads is lost
 * and the shard never stops on it.
 */
export class FirehoseRawEventSink implements RawEventSink {
  constructor(
    private readonly client: FirehoseClient,
    private readonly options: { deliveryStreamName: string },
  ) {}

  put(events: readonly RawEvent[], onAcknowledged?: (indexes: readonly number[]) => void): Promise<void> {
    return putRecordBatches(this.client, this.options.deliveryStreamName, events.map(rawRecordOf), onAcknowledged);
  }
}

/** The bytes the raw zone stores for one event (see the size rule above). */
export function rawRecordOf(event: RawEvent): Uint8Array {
  if (event.data.length <= FIREHOSE_RECORD_MAX_BYTES) return event.data;
  const decoded = decodePlantEvent(event.data);
  // The router passes valid events only; anything else is a programming error, not a record to drop.
  if (!decoded.ok) throw new TypeError(`raw event is not a valid PlantEvent: ${decoded.reason}`);
  return Buffer.from(JSON.stringify({ ...decoded.event, rawOriginalBytes: event.data.length }));
}
