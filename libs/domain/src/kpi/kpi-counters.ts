import type { DowntimeByReason, KpiFigures, KpiSnapshot } from './kpi.model';

/**
 * The additive raw material of every KPI figure. Stores keep these counters (not the ratios) so that
 * contributions of many batches, shards and assets add up exactly: every field is an integer
 * (milliseconds, parts), hence sums are exact in JavaScript and in DynamoDB in any order.
 */
export interface KpiCounters {
  /** time the asset was running (no downtime open, machine state running) */
  runMs: number;
  /** time the asset was idle (planned, neither running nor down) */
  idleMs: number;
  /** time the asset was down (a downtime open or machine state down) */
  downMs: number;
  goodCount: number;
  scrapCount: number;
  /** parts counted good first and later found defective (quality events) */
  defectCount: number;
  /** ideal cycle time × parts produced, in ms */
  idealMs: number;
  /** downtime per reason code, in ms */
  downByReasonMs: Record<string, number>;
}

export const COUNTER_FIELDS = ['runMs', 'idleMs', 'downMs', 'goodCount', 'scrapCount', 'defectCount', 'idealMs'] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];

export function emptyCounters(): KpiCounters {
  return { runMs: 0, idleMs: 0, downMs: 0, goodCount: 0, scrapCount: 0, defectCount: 0, idealMs: 0, downByReasonMs: {} };
}

/** Adds `delta` into `into` (mutates and returns `into`). */
export function addCounters(into: KpiCounters, delta: KpiCounters): KpiCounters {
  for (const field of COUNTER_FIELDS) into[field] += delta[field];
  for (const [reason, ms] of Object.entries(delta.downByReasonMs)) {
    into.downByReasonMs[reason] = (into.downByReasonMs[reason] ?? 0) + ms;
  }
  return into;
}

export function isEmptyCounters(counters: KpiCounters): boolean {
  return COUNTER_FIELDS.every((f) => counters[f] === 0) && Object.keys(counters.downByReasonMs).length === 0;
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : 0);
const round = (value: number, digits = 6) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The KPI figures of a window instance from its counters. Planned production time is all accounted
 * time (run + idle + down): the platform has no production schedule yet. A ratio whose denominator
 * is 0 is 0 (no planned time → availability 0; no parts → quality 0). Performance is capped at 1
 * because a wrong ideal cycle time must not push OEE above 100 %.
 */
export function kpiFiguresOf(counters: KpiCounters): KpiFigures {
  const plannedMs = counters.runMs + counters.idleMs + counters.downMs;
  const produced = counters.goodCount + counters.scrapCount;
  const goodCount = Math.max(0, counters.goodCount - counters.defectCount);
  const scrapCount = produced - goodCount;
  const availability = ratio(counters.runMs, plannedMs);
  const performance = Math.min(1, ratio(counters.idealMs, counters.runMs));
  const quality = ratio(goodCount, produced);
  const downtimeByReason: DowntimeByReason[] = Object.entries(counters.downByReasonMs)
    .filter(([, ms]) => ms > 0)
    .map(([reasonCode, ms]) => ({ reasonCode, seconds: ms / 1000 }))
    .sort((a, b) => b.seconds - a.seconds || a.reasonCode.localeCompare(b.reasonCode));
  return {
    availability: round(availability),
    performance: round(performance),
    quality: round(quality),
    oee: round(availability * performance * quality),
    goodCount,
    scrapCount,
    throughputPerHour: round(ratio(goodCount, plannedMs / 3_600_000), 3),
    runSeconds: counters.runMs / 1000,
    downtimeSeconds: counters.downMs / 1000,
    downtimeByReason,
  };
}

/** A KPI snapshot (read model) from a stored item's counters. */
export function kpiSnapshotOf(item: {
  scope: KpiSnapshot['scope'];
  scopeId: string;
  hierarchy: KpiSnapshot['hierarchy'];
  window: KpiSnapshot['window'];
  windowStartMs: number;
  windowEndMs: number;
  counters: KpiCounters;
  lastEventMs: number;
  updatedAt: string;
}): KpiSnapshot {
  return {
    scope: item.scope,
    scopeId: item.scopeId,
    hierarchy: item.hierarchy,
    window: item.window,
    windowStart: new Date(item.windowStartMs).toISOString(),
    windowEnd: new Date(item.windowEndMs).toISOString(),
    figures: kpiFiguresOf(item.counters),
    lastEventTime: new Date(item.lastEventMs).toISOString(),
    updatedAt: item.updatedAt,
  };
}
