import { KpiTableSchema } from '@plant/config';
import type { Alert, AssetState, KpiCounters, KpiScope, KpiSnapshot, KpiWindow } from '@plant/domain';
import { COUNTER_FIELDS, emptyCounters, kpiSnapshotOf, windowLengthMs } from '@plant/domain';

/**
 * Single-table layout of `plant-kpis` (documented in docs/stream-writer-sinks.md):
 *
 *   KPI item       pk KPI#<scope>#<scopeId>   sk W#<window>#<windowStart ISO>   counters, per-shard marks, ttl
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

/** A stored KPI item as a snapshot (figures computed from its counters). */
export function kpiSnapshotFromItem(item: Record<string, any>): KpiSnapshot {
  const counters: KpiCounters = emptyCounters();
  let lastEventMs = 0;
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(REASON_PREFIX)) counters.downByReasonMs[name.slice(REASON_PREFIX.length)] = Number(value);
    else if (name.startsWith(SHARD_PREFIX)) lastEventMs = Math.max(lastEventMs, Number(value.lastEventMs ?? 0));
  }
  for (const field of COUNTER_FIELDS) counters[field] = Number(item[field] ?? 0);
  const window = item.window as KpiWindow;
  const windowStartMs = Number(item.windowStartMs);
  return kpiSnapshotOf({
    scope: item.scope,
    scopeId: item.scopeId,
    hierarchy: item.hierarchy,
    window,
    windowStartMs,
    windowEndMs: windowStartMs + windowLengthMs(window),
    counters,
    lastEventMs,
    updatedAt: item.updatedAt,
  });
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
