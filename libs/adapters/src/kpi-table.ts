import { KpiTableSchema } from '@plant/config';
import type { Alert, AssetState, CounterField, KpiCounters, KpiScope, KpiSnapshot, KpiWindow } from '@plant/domain';
import { COUNTER_FIELDS, emptyCounters, kpiSnapshotOf, windowInstanceAt, windowLengthMs } from '@plant/domain';

/**
 * Single-table layout of `plant-kpis` (documented in docs/stream-writer-sinks.md):
 *
 *   KPI item       pk KPI#<scope>#<scopeId>   sk W#15m#<start ISO> | W#day#<start ISO>   sub-window counters, per-shard marks, ttl
 *   asset status   pk ASSET#<assetId>         sk STATUS                         the asset's router state (map)
 *   directory      pk DIR / PLANT#<plantId> / LINE#<lineId>   sk PLANT#… / LINE#… / ASSET#…
 *   alert          pk ALERT#<alertId>         sk ALERT       gsi1pk ALERTS#<plantId>  gsi1sk <raisedAt>#<alertId>
 */
export const ALERTS_BY_PLANT_INDEX = KpiTableSchema.alertsByPlantIndex.indexName;

export const keys = {
  kpi: (scope: KpiScope, scopeId: string, window: KpiWindow, windowStartMs: number) => ({
    pk: `KPI#${scope}#${scopeId}`,
    sk: `W#${window}#${new Date(windowStartMs).toISOString()}`,
  }),
  assetStatus: (assetId: string) => ({ pk: `ASSET#${assetId}`, sk: 'STATUS' }),
  plantEntry: (plantId: string) => ({ pk: 'DIR', sk: `PLANT#${plantId}` }),
  lineEntry: (plantId: string, lineId: string) => ({ pk: `PLANT#${plantId}`, sk: `LINE#${lineId}` }),
  assetEntry: (lineId: string, assetId: string) => ({ pk: `LINE#${lineId}`, sk: `ASSET#${assetId}` }),
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  alertsOfPlant: (plantId: string) => `ALERTS#${plantId}`,
};

/** Attribute name prefixes: downtime per reason and per-shard marks are top-level attributes so ADD/SET can address them. */
export const REASON_PREFIX = 'dr:';
export const SHARD_PREFIX = 'sh:';

/**
 * How long a window instance is kept after it ends (DynamoDB TTL on `ttl`, epoch seconds): minute
 * items only serve live views, shifts and days feed reports.
 */
const RETENTION_MS: Record<KpiWindow, number> = {
  '1m': 2 * 86_400_000,
  '15m': 14 * 86_400_000,
  shift: 93 * 86_400_000,
  day: 400 * 86_400_000,
};
export function ttlOf(window: KpiWindow, windowEndMs: number): number {
  return Math.floor((windowEndMs + RETENTION_MS[window]) / 1000);
}

/**
 * Where a logical KPI window instance lives. Items are grouped so that one batch writes few of them:
 * one item per (scope, 15-min instance) holds the counters of its fifteen 1-minute sub-windows
 * (`m00:`…`m14:`), one item per (scope, production day) those of its three shifts (`s0:`…`s2:`);
 * the item's own window (the 15 min, the day) keeps its counters under `all:`. A batch thus writes
 * one item where it wrote up to 16 (a backlog spanning a quarter hour) or 2 (live traffic).
 */
export interface KpiItemSlot {
  /** The stored item's window ('15m' or 'day') and its instance start. */
  itemWindow: KpiWindow;
  itemStartMs: number;
  /** Attribute prefix of the window instance inside the item: `m07:`, `s1:`, or `all:` for the item's own window. */
  prefix: string;
}

export function kpiItemSlot(window: KpiWindow, windowStartMs: number): KpiItemSlot {
  switch (window) {
    case '1m':
    case 'shift': {
      const itemWindow: KpiWindow = window === '1m' ? '15m' : 'day';
      const itemStartMs = windowInstanceAt(itemWindow, windowStartMs).startMs;
      const index = (windowStartMs - itemStartMs) / windowLengthMs(window);
      return { itemWindow, itemStartMs, prefix: window === '1m' ? `m${String(index).padStart(2, '0')}:` : `s${index}:` };
    }
    case '15m':
    case 'day':
      return { itemWindow: window, itemStartMs: windowStartMs, prefix: ALL_PREFIX };
  }
}

/** Per window instance: `<prefix><counter>`, `<prefix>dr:<reason>` (downtime per reason), `<prefix>le:<shardId>` (last event time the shard folded in). */
export const LAST_EVENT_PREFIX = 'le:';
const ALL_PREFIX = 'all:';

/**
 * The snapshot of one logical window instance from its stored item; undefined when no event
 * contributed to it yet (no attribute with its prefix, or no item).
 */
export function kpiSnapshotFromItem(item: Record<string, any>, window: KpiWindow, windowStartMs: number): KpiSnapshot | undefined {
  return kpiSnapshotsFromItem(item).get(kpiItemSlot(window, windowStartMs).prefix);
}

const INSTANCE_PREFIX = /^(m\d\d|s\d|all):/;

/** Every window instance stored in an item, by attribute prefix (one pass over the attributes). */
export function kpiSnapshotsFromItem(item: Record<string, any>): Map<string, KpiSnapshot> {
  const itemWindow = item.window as KpiWindow;
  const itemStartMs = Number(item.windowStartMs);
  const found = new Map<string, { counters: KpiCounters; lastEventMs: number }>();
  for (const [name, value] of Object.entries(item)) {
    const prefix = INSTANCE_PREFIX.exec(name)?.[0];
    if (prefix === undefined) continue;
    let entry = found.get(prefix);
    if (!entry) found.set(prefix, (entry = { counters: emptyCounters(), lastEventMs: 0 }));
    const field = name.slice(prefix.length);
    if (field.startsWith(REASON_PREFIX)) entry.counters.downByReasonMs[field.slice(REASON_PREFIX.length)] = Number(value);
    else if (field.startsWith(LAST_EVENT_PREFIX)) entry.lastEventMs = Math.max(entry.lastEventMs, Number(value));
    else if ((COUNTER_FIELDS as readonly string[]).includes(field)) entry.counters[field as CounterField] = Number(value);
  }
  const snapshots = new Map<string, KpiSnapshot>();
  for (const [prefix, { counters, lastEventMs }] of found) {
    const [window, windowStartMs] = instanceOfPrefix(itemWindow, itemStartMs, prefix);
    snapshots.set(
      prefix,
      kpiSnapshotOf({
        scope: item.scope,
        scopeId: item.scopeId,
        hierarchy: item.hierarchy,
        window,
        windowStartMs,
        windowEndMs: windowStartMs + windowLengthMs(window),
        counters,
        lastEventMs,
        updatedAt: item.updatedAt,
      }),
    );
  }
  return snapshots;
}

function instanceOfPrefix(itemWindow: KpiWindow, itemStartMs: number, prefix: string): [KpiWindow, number] {
  if (prefix === ALL_PREFIX) return [itemWindow, itemStartMs];
  const window: KpiWindow = prefix.startsWith('m') ? '1m' : 'shift';
  return [window, itemStartMs + Number(prefix.slice(1, -1)) * windowLengthMs(window)];
}

export function assetStateFromItem(item: Record<string, any>): AssetState {
  return item.assetState as AssetState;
}

const ALERT_FIELDS = [
  'alertId', 'ruleId', 'enterpriseId', 'plantId', 'lineId', 'assetId', 'severity', 'status', 'message', 'value',
  'raisedAt', 'acknowledgedAt', 'acknowledgedBy', 'clearedAt', 'updatedAt',
] as const;

export function alertFromItem(item: Record<string, any>): Alert {
  const alert: Record<string, unknown> = {};
  for (const field of ALERT_FIELDS) if (item[field] !== undefined) alert[field] = item[field];
  return alert as unknown as Alert;
}
