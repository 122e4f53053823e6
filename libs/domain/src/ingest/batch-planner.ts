import type { Hierarchy, PlantEvent } from '@plant/contracts';
import type { Alert } from '../alerts/alert.model';
import { AlertRule, applyAlertRules } from '../alerts/alert-rules';
import { ASSET_STATE_LIMITS, AssetState, cloneAssetState, initialAssetState } from '../assets/asset-state';
import { emptyCounters, KpiCounters } from '../kpi/kpi-counters';
import { KPI_WINDOWS, KpiScope, KpiSnapshot, KpiWindow } from '../kpi/kpi.model';
import { splitAtWindows, windowInstanceAt, WindowInstance } from '../kpi/kpi-window';

/** A decoded event with the (padded) sequence number of its Kinesis record. */
export interface SequencedEvent {
  sequence: string;
  event: PlantEvent;
  /**
   * The latest time this event may move its asset's accounting cursor to: its ingest time + the
   * future tolerance (libs/contracts event-time-bounds). The router refuses events beyond it; the
   * planner enforces it as well, so no single event can push the cursor past it. Undefined: no bound.
   */
  notAfterMs?: number;
}


/**
 * Time between two events of an asset longer than this is a data gap, not run/idle/down time: a
 * silent asset (connector down) must not be reported running for hours, and one late event must
 * not fan out into thousands of 1-minute window items.
 */
export const MAX_ACCOUNTED_GAP_MS = 60 * 60_000;

/**
 * A stored cursor further than this beyond an event's `notAfterMs` cannot come from an accepted
 * event (the ingest times of an asset's records only grow, up to clock differences far below this
 * margin): it was set by an event with an absurd time before the bounds existed, and accounting
 * restarts at the event, as after a data gap.
 */
export const CURSOR_REPAIR_MARGIN_MS = MAX_ACCOUNTED_GAP_MS;

export type KpiHierarchy = KpiSnapshot['hierarchy'];

/** The aggregated contribution of one batch to one KPI item (scope × window instance). */
export interface KpiDelta {
  itemId: string;
  scope: KpiScope;
  scopeId: string;
  hierarchy: KpiHierarchy;
  window: KpiWindow;
  windowStartMs: number;
  windowEndMs: number;
  counters: KpiCounters;
  /** Padded sequence numbers of the first and last event that contributed. */
  firstSequence: string;
  lastSequence: string;
  lastEventMs: number;
}

export interface AssetChange {
  assetId: string;
  /** The stored state the batch started from; undefined for an asset seen for the first time. */
  before?: AssetState;
  after: AssetState;
}

export interface BatchPlan {
  shardId: string;
  kpiDeltas: KpiDelta[];
  assets: AssetChange[];
  /** Alert changes in event order (raised, acknowledged, cleared). */
  alertChanges: Alert[];
  /** Events at or before their asset's stored shard mark: already fully applied by an earlier delivery. */
  alreadyApplied: number;
}

export interface PlanInput {
  shardId: string;
  /** In shard order (the order Kinesis delivered them). */
  events: readonly SequencedEvent[];
  /** Stored state of every asset in `events` (undefined when the store has none). */
  states: ReadonlyMap<string, AssetState | undefined>;
  rules: readonly AlertRule[];
  /**
   * Stored per-shard marks of KPI items, by itemId. Contributions of events at or before an item's
   * mark are left out of that item: they were applied by an earlier, partly completed delivery.
   */
  itemMarks?: ReadonlyMap<string, string>;
}

/** Identity of a KPI window instance (opaque). Unambiguous: only scopeId is free text, between a fixed-form head and tail; a concat is far cheaper than JSON on the hot path. */
export function kpiItemId(scope: KpiScope, scopeId: string, window: KpiWindow, windowStartMs: number): string {
  return `${scope}\u0000${scopeId}\u0000${window}\u0000${windowStartMs}`;
}

/**
 * The pure core of the router: folds one shard batch into KPI contributions per item, the assets'
 * new states and the alert changes. Deterministic: the same stored states and the same events give
 * the same plan, which is what makes replays after a crash exact.
 */
export function planBatch(input: PlanInput): BatchPlan {
  const deltas = new Map<string, KpiDelta>();
  const working = new Map<string, AssetChange>();
  const alertChanges: Alert[] = [];
  let alreadyApplied = 0;

  for (const { sequence, event, notAfterMs } of input.events) {
    let change = working.get(event.assetId);
    if (!change) {
      const stored = input.states.get(event.assetId);
      change = { assetId: event.assetId, before: stored, after: stored ? cloneAssetState(stored) : initialAssetState(hierarchyOf(event), event.eventTime) };
      working.set(event.assetId, change);
    }
    const state = change.after;
    const mark = state.shardMarks[input.shardId];
    if (mark !== undefined && sequence <= mark) {
      alreadyApplied++;
      continue;
    }
    const contribute = contributor(deltas, input.itemMarks, state.hierarchy, sequence);
    const eventMs = Date.parse(event.eventTime);
    accountTime(state, eventMs, notAfterMs, contribute);
    alertChanges.push(...applyAlertRules(state, event, input.rules));
    foldEvent(state, event, eventMs, contribute);
    state.shardMarks[input.shardId] = sequence;
    if (eventMs > Date.parse(state.lastEventTime)) state.lastEventTime = event.eventTime;
  }

  const assets = [...working.values()].filter((c) => c.after.shardMarks[input.shardId] !== c.before?.shardMarks[input.shardId]);
  for (const change of assets) change.after.version = (change.before?.version ?? 0) + 1;
  return { shardId: input.shardId, kpiDeltas: [...deltas.values()], assets, alertChanges, alreadyApplied };
}

function hierarchyOf({ enterpriseId, plantId, lineId, assetId }: Hierarchy): Hierarchy {
  return { enterpriseId, plantId, lineId, assetId };
}

type Contribute = (instance: WindowInstance, eventMs: number, add: (counters: KpiCounters) => void) => void;

function contributor(
  deltas: Map<string, KpiDelta>,
  itemMarks: ReadonlyMap<string, string> | undefined,
  hierarchy: Hierarchy,
  sequence: string,
): Contribute {
  const { enterpriseId, plantId, lineId, assetId } = hierarchy;
  const scopes: [KpiScope, string, KpiHierarchy][] = [
    ['asset', assetId, { enterpriseId, plantId, lineId, assetId }],
    ['line', lineId, { enterpriseId, plantId, lineId }],
    ['plant', plantId, { enterpriseId, plantId }],
  ];
  return (instance, eventMs, add) => {
    for (const [scope, scopeId, scopeHierarchy] of scopes) {
      const itemId = kpiItemId(scope, scopeId, instance.window, instance.startMs);
      const mark = itemMarks?.get(itemId);
      if (mark !== undefined && sequence <= mark) continue;
      let delta = deltas.get(itemId);
      if (!delta) {
        delta = {
          itemId,
          scope,
          scopeId,
          hierarchy: scopeHierarchy,
          window: instance.window,
          windowStartMs: instance.startMs,
          windowEndMs: instance.endMs,
          counters: emptyCounters(),
          firstSequence: sequence,
          lastSequence: sequence,
          lastEventMs: Math.min(eventMs, instance.endMs),
        };
        deltas.set(itemId, delta);
      }
      add(delta.counters);
      delta.lastSequence = sequence;
      delta.lastEventMs = Math.max(delta.lastEventMs, Math.min(eventMs, instance.endMs));
    }
  };
}

/**
 * Attributes the time since the asset was last accounted to run, idle or down, split at window
 * boundaries. The cursor never passes `notAfterMs`; a stored cursor far beyond it is repaired.
 */
function accountTime(state: AssetState, eventMs: number, notAfterMs: number | undefined, contribute: Contribute): void {
  const limitMs = notAfterMs ?? Number.POSITIVE_INFINITY;
  const stored = state.accountedUntilMs;
  const from = stored !== undefined && stored - limitMs > CURSOR_REPAIR_MARGIN_MS ? undefined : stored;
  eventMs = Math.min(eventMs, limitMs);
  if (from === undefined || eventMs - from > MAX_ACCOUNTED_GAP_MS) {
    state.accountedUntilMs = Math.max(eventMs, from ?? eventMs);
    return;
  }
  if (eventMs <= from) return;
  const downtimes = Object.values(state.openDowntimes);
  const down = downtimes.length > 0 || state.machineState === 'down';
  const reason = down ? (oldestDowntime(downtimes)?.reasonCode ?? state.stateReasonCode ?? 'unspecified') : undefined;
  for (const window of KPI_WINDOWS) {
    for (const { instance, ms } of splitAtWindows(window, from, eventMs)) {
      contribute(instance, eventMs, (c) => {
        if (reason !== undefined) {
          c.downMs += ms;
          c.downByReasonMs[reason] = (c.downByReasonMs[reason] ?? 0) + ms;
        } else if (state.machineState === 'idle') c.idleMs += ms;
        else c.runMs += ms;
      });
    }
  }
  state.accountedUntilMs = eventMs;
}

function oldestDowntime(downtimes: { reasonCode: string; since: string }[]) {
  return downtimes.reduce<(typeof downtimes)[number] | undefined>((oldest, d) => (!oldest || d.since < oldest.since ? d : oldest), undefined);
}

function foldEvent(state: AssetState, event: PlantEvent, eventMs: number, contribute: Contribute): void {
  const countIn = (add: (c: KpiCounters) => void) => {
    for (const window of KPI_WINDOWS) contribute(windowInstanceAt(window, eventMs), eventMs, add);
  };
  switch (event.kind) {
    case 'production': {
      const parts = event.goodCount + event.scrapCount;
      const idealMs = Math.round(event.idealCycleSeconds * 1000) * parts;
      countIn((c) => {
        c.goodCount += event.goodCount;
        c.scrapCount += event.scrapCount;
        c.idealMs += idealMs;
      });
      break;
    }
    case 'quality':
      countIn((c) => {
        c.defectCount += event.defectCount;
      });
      break;
    case 'downtime':
      if (event.phase === 'end') delete state.openDowntimes[event.downtimeId];
      else if (Object.hasOwn(state.openDowntimes, event.downtimeId) || Object.keys(state.openDowntimes).length < ASSET_STATE_LIMITS.openDowntimes) {
        state.openDowntimes[event.downtimeId] = { reasonCode: event.reasonCode, since: event.eventTime };
      }
      break;
    case 'machine-state':
      if (event.state !== state.machineState) state.stateSince = event.eventTime;
      state.machineState = event.state;
      if (event.reasonCode !== undefined) state.stateReasonCode = event.reasonCode;
      else delete state.stateReasonCode;
      break;
    case 'measurement': {
      const previous = state.sensors[event.measure];
      const room = previous !== undefined || Object.keys(state.sensors).length < ASSET_STATE_LIMITS.sensors;
      if (room && (!previous || Date.parse(previous.at) <= eventMs)) {
        state.sensors[event.measure] = {
          measure: event.measure,
          value: event.value,
          ...(event.unit !== undefined ? { unit: event.unit } : {}),
          quality: event.quality,
          at: event.eventTime,
        };
      }
      break;
    }
    case 'alarm':
      break;
  }
}
