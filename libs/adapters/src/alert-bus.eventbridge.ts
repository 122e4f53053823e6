import { EventBridgeClient, PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { AwsLimits } from '@plant/config';
import { ALERT_DETAIL_TYPES, ALERT_EVENT_SOURCE } from '@plant/domain';
import type { Alert, AlertBus } from '@plant/domain';
import { backoffMs, PartialFailureError, sleep } from './concurrency';

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html — at most 10 entries per call. */
const PUT_EVENTS_MAX = AwsLimits.eventBridge.putEventsMaxEntries;
const MAX_ATTEMPTS = 6;

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
    let batch: PutEventsRequestEntry[] = [];
    let ids = new Set<string>();
    for (const alert of changes) {
      if (batch.length === PUT_EVENTS_MAX || ids.has(alert.alertId)) {
        await this.put(batch);
        batch = [];
        ids = new Set();
      }
      ids.add(alert.alertId);
      batch.push(alertEntryOf(alert, this.options.busName));
    }
    if (batch.length) await this.put(batch);
  }

  private async put(entries: PutEventsRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 0; ; attempt++) {
      const out = await this.client.send(new PutEventsCommand({ Entries: pending }));
      if (!out.FailedEntryCount) return;
      const failed = pending.filter((_, i) => out.Entries?.[i]?.ErrorCode);
      if (attempt + 1 >= MAX_ATTEMPTS) {
        const sample = out.Entries?.find((e) => e.ErrorCode);
        throw new PartialFailureError('eventbridge PutEvents', failed.length, `${sample?.ErrorCode}: ${sample?.ErrorMessage}`);
      }
      pending = failed;
      await sleep(backoffMs(attempt));
    }
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
