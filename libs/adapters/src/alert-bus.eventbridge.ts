import { EventBridgeClient, PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { ALERT_DETAIL_TYPES, ALERT_EVENT_SOURCE } from '@plant/domain';
import type { Alert, AlertBus } from '@plant/domain';
import { backoffMs, PartialFailureError, sleep } from './concurrency';

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html — at most 10 entries per call. */
const PUT_EVENTS_MAX = 10;
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
      batch.push({
        EventBusName: this.options.busName,
        Source: ALERT_EVENT_SOURCE,
        DetailType: ALERT_DETAIL_TYPES[alert.status],
        Detail: JSON.stringify(alert),
        Time: new Date(alert.updatedAt),
        Resources: [],
      });
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
