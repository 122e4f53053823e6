import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { sendInBatches } from '@plant/aws';
import { AwsLimits } from '@plant/config';
import { ALERT_DETAIL_TYPES, ALERT_EVENT_SOURCE, PartialFailureError } from '@plant/domain';
import type { Alert, AlertBus } from '@plant/domain';
import { ENTRY_RETRY } from './entry-retry';

/** Defined by the domain (shared with infra's rules); re-exported for callers that import the adapter. */
export { ALERT_DETAIL_TYPES, ALERT_EVENT_SOURCE };

/**
 * AlertBus on EventBridge. Changes go out in order, 10 per call; one alert appears at most once per
 * call, and a call's failed entries are retried before the next call, so one alert's changes never
 * overtake each other. At-least-once: a replayed batch publishes the same changes again, which
 * subscribers recognise by `detail.alertId` + `detail.status` (the alert id is deterministic).
 */
export class EventBridgeAlertBus implements AlertBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly options: { busName: string },
  ) {}

  async publish(changes: readonly Alert[]): Promise<void> {
    const { failed } = await sendInBatches({
      items: changes.map((alert) => ({ alertId: alert.alertId, entry: alertEntryOf(alert, this.options.busName) })),
      limits: { maxEntries: AwsLimits.eventBridge.putEventsMaxEntries },
      startsNewBatch: (batch, next) => batch.some((queued) => queued.alertId === next.alertId),
      // One call at a time, its refused entries retried before the next: an alert's changes keep their order.
      concurrency: 1,
      stopAfterFailure: true,
      send: async (batch) => {
        const out = await this.client.send(new PutEventsCommand({ Entries: batch.map((b) => b.entry) }));
        return batch.map((_, i) => {
          const result = out.FailedEntryCount ? out.Entries?.[i] : undefined;
          return result?.ErrorCode ? { code: result.ErrorCode, message: result.ErrorMessage } : undefined;
        });
      },
      retry: ENTRY_RETRY,
    });
    if (failed.length) throw new PartialFailureError('eventbridge PutEvents', failed.map((f) => f.failure));
  }
}

/**
 * The PutEvents entry of an alert change, within EventBridge's 256 KB per entry (size as EventBridge
 * counts it: Time 14 bytes + Source + DetailType + Detail + Resources). An alert's fields are
 * bounded by the contract (ids 128 characters, SCADA messages 512), so this cannot be reached today;
 * should a rule ever build a longer message, the message is cut to fit and `messageTruncated` set,
 * rather than the entry refused and the shard stopped.
 */
export function alertEntryOf(alert: Alert, busName: string): PutEventsRequestEntry {
  const entry = (detail: Alert & { messageTruncated?: true }): PutEventsRequestEntry => ({
    EventBusName: busName,
    Source: ALERT_EVENT_SOURCE,
    DetailType: ALERT_DETAIL_TYPES[alert.status],
    Detail: JSON.stringify(detail),
    Time: new Date(alert.updatedAt),
    Resources: [],
  });
  const full = entry(alert);
  if (putEventsEntryBytes(full) <= AwsLimits.eventBridge.entryMaxBytes) return full;
  // The longest prefix of the message (whole code points) that fits; JSON escaping makes the size non-linear.
  const chars = Array.from(alert.message);
  const cut = (n: number) => entry({ ...alert, message: chars.slice(0, n).join(''), messageTruncated: true });
  let [fits, tooLong] = [0, chars.length];
  while (tooLong - fits > 1) {
    const mid = Math.floor((fits + tooLong) / 2);
    if (putEventsEntryBytes(cut(mid)) <= AwsLimits.eventBridge.entryMaxBytes) fits = mid;
    else tooLong = mid;
  }
  return cut(fits);
}

/** https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html */
export function putEventsEntryBytes(entry: PutEventsRequestEntry): number {
  const bytes = (s: string | undefined) => (s ? Buffer.byteLength(s, 'utf8') : 0);
  return (
    (entry.Time ? AwsLimits.eventBridge.entryTimeBytes : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, r) => sum + bytes(r), 0)
  );
}
