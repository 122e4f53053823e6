import { decodePlantEvent, DEFAULT_EVENT_TIME_BOUNDS, EventTimeBounds, eventTimeViolation, latestAccountableMs } from '@plant/contracts';
import {
  AlertBus,
  AlertRule,
  AlertStore,
  AssetDirectory,
  AssetState,
  AssetStateStore,
  BatchPlan,
  ChangeFeedMessage,
  ChangeFeedPublisher,
  DeadLetter,
  deadLetterOf,
  DeadLetterSink,
  DEFAULT_ALERT_RULES,
  KpiDelta,
  KpiSnapshot,
  KpiWindowStore,
  padSequence,
  planBatch,
  RawEvent,
  RawEventSink,
  SequencedEvent,
  trendPointOf,
  TrendPoint,
  TrendStore,
} from '@plant/domain';
import { MetricsRegistry } from '@plant/observability';
import type { ConsumedRecord, FailureClass, RecordProcessor } from '@plant/stream-consumer';
import { AcknowledgedWrites } from './acknowledged-writes';
import type { FeatureSink } from './feature-sink';
import { classifySinkFailure, isolationLetterOf, SinkWriteError } from './sink-failure';
import { SinkMetrics, type SinkName } from './sink-metrics';

/** One port per concern: a batch enters each of them once (the asset states: read before, written after). */
export interface RouterSinks {
  kpiWindows: KpiWindowStore;
  assetDirectory: AssetDirectory;
  alertStore: AlertStore;
  assetStates: AssetStateStore;
  trendStore: TrendStore;
  alertBus: AlertBus;
  rawEvents: RawEventSink;
  deadLetters: DeadLetterSink;
  changeFeed: ChangeFeedPublisher;
  /** Online features (issue 12); optional so that routers built without it (tests) keep working. */
  features?: FeatureSink;
}

export interface RouterOptions {
  rules?: readonly AlertRule[];
  metrics?: SinkMetrics;
  clock?: () => Date;
  /** Events outside these bounds around their ingest time are dead-lettered (stage `event-time`). */
  eventTimeBounds?: EventTimeBounds;
}

/** A partly applied KPI item is recomputed at most this often per batch (each round moves its mark forward). */
const MAX_KPI_ROUNDS = 5;

/**
 * The RecordProcessor of the stream-writer: decodes a shard batch, plans it (pure domain logic),
 * writes every sink in parallel and resolves only when all acknowledged:
 *
 *   1. raw events, trend points, dead letters, KPI items, alerts (bus + table), directory — in parallel
 *   2. the assets' states (only after 1 succeeded: a crash before leaves the old state, so a replay
 *      recomputes exactly the same contributions) and, at the same time, the change feed (it
 *      announces only what 1 acknowledged)
 *
 * Any failure rejects (a sink's failure as a SinkWriteError naming the sink): the consumer retries
 * the batch or, when records seem to cause it, bisects it and calls `isolate` for a record that fails
 * alone. Every sink write is idempotent or at-least-once by design (docs/stream-writer-sinks.md);
 * raw events and dead letters a sink already acknowledged are not sent again on a retry.
 */
export class Router implements RecordProcessor {
  private readonly states = new Map<string, AssetState>();
  private readonly rules: readonly AlertRule[];
  readonly metrics: SinkMetrics;
  private readonly clock: () => Date;
  private readonly eventTimeBounds: EventTimeBounds;
  /** Raw events and dead letters acknowledged for the batch each shard is delivering. */
  readonly acknowledged = new AcknowledgedWrites();

  constructor(
    private readonly sinks: RouterSinks,
    options: RouterOptions = {},
  ) {
    this.rules = options.rules ?? DEFAULT_ALERT_RULES;
    this.metrics = options.metrics ?? new SinkMetrics(new MetricsRegistry());
    this.clock = options.clock ?? (() => new Date());
    this.eventTimeBounds = options.eventTimeBounds ?? DEFAULT_EVENT_TIME_BOUNDS;
  }

  async process(shardId: string, records: readonly ConsumedRecord[]): Promise<void> {
    const now = this.clock();
    // Everything before this call's first record is settled (checkpointed or isolated).
    this.acknowledged.forget(shardId, padSequence(records[0].sequenceNumber), false);
    const { events, rawEvents, deadLetters } = decodeBatch(records, now, this.eventTimeBounds);
    const assetIds = [...new Set(events.map((e) => e.event.assetId))];
    try {
      const states = await this.statesOf(assetIds);
      const plan = planBatch({ shardId, events, states, rules: this.rules });
      const trendPoints = events.map((e) => trendPointOf(e.event)).filter((p): p is TrendPoint => p !== undefined);
      const recordsBySequence = new Map(records.map((r) => [padSequence(r.sequenceNumber), r]));

      const [snapshots] = await settleAll([
        this.writeKpis(shardId, plan, events, states),
        this.writeTrends(trendPoints, recordsBySequence, events, now),
        this.writeDeadLetters(shardId, 'decode', deadLetters),
        this.writeRawEvents(shardId, rawEvents, events),
        this.write('alert-bus', plan.alertChanges.length, () => this.sinks.alertBus.publish(plan.alertChanges)),
        this.write('alert-store', plan.alertChanges.length, () => this.sinks.alertStore.saveAlertChanges(plan.alertChanges)),
        this.write('kpi-store', 0, () => this.sinks.assetDirectory.registerAssets(plan.assets.filter((a) => !a.before).map((a) => a.after.hierarchy))),
      ]);

      // The change feed announces only what phase 1 acknowledged (KPI items, alerts), so it goes out
      // together with the state write instead of after it: one round trip less between event and
      // subscriber. A failed state write retries the batch; its KPI items are then recognised as
      // applied (no second kpi-updated), alert changes are re-announced (at-least-once, as before).
      const messages: ChangeFeedMessage[] = [
        ...(snapshots as KpiSnapshot[]).map((kpi): ChangeFeedMessage => ({ version: 1, type: 'kpi-updated', kpi })),
        ...plan.alertChanges.map((alert): ChangeFeedMessage => ({ version: 1, type: 'alert-changed', alert })),
      ];
      await settleAll([
        this.write('asset-state', plan.assets.length, () => this.sinks.assetStates.saveAssetStates(plan.assets, now.toISOString())),
        this.write('change-feed', messages.length, () => this.sinks.changeFeed.publish(messages)),
        this.writeFeatures(events, snapshots as KpiSnapshot[]),
      ]);
      for (const change of plan.assets) this.states.set(change.assetId, change.after);
      this.acknowledged.forget(shardId, padSequence(records[records.length - 1].sequenceNumber), true);
    } catch (err) {
      // The store may hold a newer state than this process (a partly written batch, another writer): reload on retry.
      for (const assetId of assetIds) this.states.delete(assetId);
      throw err;
    }
  }

  classifyFailure(error: unknown): FailureClass {
    return classifySinkFailure(error);
  }

  /**
   * A record that failed alone: its dead letter names the sink that refused it (or `router` when
   * planning failed) and the capped error. Sinks that took it before the failure keep it (a valid
   * event can be in the raw zone and in the dead letters; its KPI contribution counts at most once).
   */
  async isolate(shardId: string, record: ConsumedRecord, error: unknown): Promise<void> {
    const { stage, reason } = isolationLetterOf(error);
    await this.writeDeadLetters(shardId, `isolated:${stage}`, [deadLetterOf(record, stage, reason, this.clock())]);
    this.acknowledged.forget(shardId, padSequence(record.sequenceNumber), true);
  }

  private async statesOf(assetIds: string[]): Promise<Map<string, AssetState | undefined>> {
    const missing = assetIds.filter((id) => !this.states.has(id));
    const loaded = missing.length ? await this.sinks.assetStates.loadAssetStates(missing) : new Map<string, AssetState | undefined>();
    return new Map(assetIds.map((id) => [id, this.states.get(id) ?? loaded.get(id)]));
  }

  /**
   * Applies the KPI deltas; items that an earlier, partly completed delivery already moved into
   * this batch's range are recomputed without the events their mark covers and applied again.
   */
  private async writeKpis(
    shardId: string,
    plan: BatchPlan,
    events: readonly SequencedEvent[],
    states: Map<string, AssetState | undefined>,
  ): Promise<KpiSnapshot[]> {
    const updated: KpiSnapshot[] = [];
    const itemMarks = new Map<string, string>();
    let deltas: KpiDelta[] = plan.kpiDeltas;
    for (let round = 0; deltas.length > 0; round++) {
      if (round === MAX_KPI_ROUNDS) throw new Error(`KPI items of shard ${shardId} still partly applied after ${MAX_KPI_ROUNDS} rounds`);
      const result = await this.write('kpi-store', deltas.length, () => this.sinks.kpiWindows.applyKpiDeltas(shardId, deltas));
      updated.push(...result.updated);
      if (!result.partlyApplied.length) break;
      for (const item of result.partlyApplied) itemMarks.set(item.itemId, item.storedMark);
      const again = new Set(result.partlyApplied.map((p) => p.itemId));
      deltas = planBatch({ shardId, events, states, rules: this.rules, itemMarks }).kpiDeltas.filter((d) => again.has(d.itemId));
    }
    return updated;
  }

  /** Features need the KPI snapshots of phase 1 (live OEE), so they are written in phase 2. */
  private async writeFeatures(events: readonly SequencedEvent[], snapshots: KpiSnapshot[]): Promise<void> {
    const features = this.sinks.features;
    if (!features) return;
    await this.write('feature-store', events.length, () => features.write(events.map((e) => e.event), snapshots));
  }

  /** Trend points the store rejects for good are dead-lettered with the store's reason. */
  private async writeTrends(points: TrendPoint[], records: Map<string, ConsumedRecord>, events: SequencedEvent[], now: Date): Promise<void> {
    const rejected = await this.write('trend-store', points.length, () => this.sinks.trendStore.write(points));
    if (!rejected.length) return;
    const sequenceOf = new Map(events.map((e) => [e.event.eventId, e.sequence]));
    const letters = rejected.map(({ point, reason }) => deadLetterOf(records.get(sequenceOf.get(point.eventId)!)!, 'trend-store', reason, now));
    const shardId = letters[0].shardId;
    await this.writeDeadLetters(shardId, 'trend-store', letters);
  }

  /** Sends the raw events the raw sink has not acknowledged yet in an earlier attempt of this batch. */
  private async writeRawEvents(shardId: string, rawEvents: RawEvent[], events: SequencedEvent[]): Promise<void> {
    const pending = rawEvents.map((raw, i) => ({ raw, sequence: events[i].sequence })).filter((e) => !this.acknowledged.has(shardId, e.sequence, 'raw'));
    if (!pending.length) return;
    await this.write('raw-events', pending.length, () =>
      this.sinks.rawEvents.put(
        pending.map((e) => e.raw),
        (indexes) => indexes.forEach((i) => this.acknowledged.add(shardId, pending[i].sequence, 'raw')),
      ),
    );
  }

  /** Sends the dead letters of `key` the sink has not acknowledged yet in an earlier attempt of this batch. */
  private async writeDeadLetters(shardId: string, key: string, letters: DeadLetter[]): Promise<void> {
    const write = `dlq:${key}`;
    const pending = letters.map((letter) => ({ letter, sequence: padSequence(letter.sequenceNumber) })).filter((l) => !this.acknowledged.has(shardId, l.sequence, write));
    if (!pending.length) return;
    await this.write('dead-letters', pending.length, () =>
      this.sinks.deadLetters.put(
        pending.map((l) => l.letter),
        (indexes) => indexes.forEach((i) => this.acknowledged.add(shardId, pending[i].sequence, write)),
      ),
    );
    for (const [stage, n] of countBy(pending.map((l) => l.letter.stage))) this.metrics.deadLettered(stage, n);
  }

  /** One sink write with its metrics; a failure names the sink (the stage of an isolated record's dead letter). */
  private async write<T>(sink: SinkName, count: number, write: () => Promise<T>): Promise<T> {
    try {
      return await this.metrics.time(sink, count, write);
    } catch (err) {
      throw err instanceof SinkWriteError ? err : new SinkWriteError(sink, err);
    }
  }
}

/**
 * Decodes every record. The ones that are not a valid PlantEvent are dead letters (stage `decode`);
 * valid events whose times lie outside the bounds around their ingest time are dead letters too
 * (stage `event-time`) and reach no sink: one absurd time must not move an asset's accounting
 * cursor. The ingest time is the record's Kinesis arrival time (the router's clock for records
 * without one, which only tests build).
 */
export function decodeBatch(records: readonly ConsumedRecord[], now: Date, bounds: EventTimeBounds = DEFAULT_EVENT_TIME_BOUNDS) {
  const events: SequencedEvent[] = [];
  const rawEvents: RawEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const record of records) {
    const decoded = decodePlantEvent(record.data);
    if (!decoded.ok) {
      deadLetters.push(deadLetterOf(record, 'decode', decoded.reason, now));
      continue;
    }
    const ingestMs = (record.approximateArrivalTimestamp ?? now).getTime();
    const violation = eventTimeViolation(decoded.event, ingestMs, bounds);
    if (violation) {
      deadLetters.push(deadLetterOf(record, 'event-time', violation, now));
      continue;
    }
    events.push({ sequence: padSequence(record.sequenceNumber), event: decoded.event, notAfterMs: latestAccountableMs(ingestMs, bounds) });
    rawEvents.push({ source: decoded.event.source, eventTime: decoded.event.eventTime, data: record.data });
  }
  return { events, rawEvents, deadLetters };
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Waits for every write; rejects with the first failure only after all settled (no write is left running). */
async function settleAll<T extends readonly Promise<unknown>[]>(writes: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(writes);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { [K in keyof T]: Awaited<T[K]> };
}
