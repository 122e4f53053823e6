import { InvalidArgumentError } from '../errors';
import type { KpiScope, KpiSnapshot, KpiWindow } from '../kpi/kpi.model';
import { windowLengthMs } from '../kpi/kpi-window';

/**
 * Every stored instance of a KPI window in a range, from the live KPI table: a shift chart of
 * 15-minute OEE needs no lake query. Bounded by what the table keeps of each window (its TTL) and by
 * a number of instances per call; older or coarser history comes from the lake (`dailyKpis`).
 */
export interface KpiRangeRequest {
  scope: KpiScope;
  scopeId: string;
  window: KpiWindow;
  /** Instances overlapping [fromMs, toMs). */
  fromMs: number;
  toMs: number;
}

/** How far back the KPI table keeps each window (its TTL after the instance ends; kpi-table.ts). */
export const KPI_RANGE_LIMITS = {
  maxRangeMs: { '1m': 2 * 86_400_000, '15m': 14 * 86_400_000, shift: 93 * 86_400_000, day: 400 * 86_400_000 } as Record<KpiWindow, number>,
  /** Two days of minutes: the largest range any window allows, in instances. */
  maxInstances: 2_880,
} as const;
const RANGE_TEXT: Record<KpiWindow, string> = { '1m': '2 days', '15m': '14 days', shift: '93 days', day: '400 days' };

/** At most how many instances of `window` overlap [fromMs, toMs) (the cost of the list). */
export function kpiInstanceCount(window: KpiWindow, fromMs: number, toMs: number): number {
  return Math.max(0, Math.ceil((toMs - fromMs) / windowLengthMs(window)) + 1);
}

/** Validates `from`/`to` (ISO-8601 with a zone; `to` defaults to now) into a request; errors name the argument and limit. */
export function kpiRangeRequestOf(scope: KpiScope, scopeId: string, window: KpiWindow, from: string, to: string | null | undefined, nowMs: number): KpiRangeRequest {
  const fromMs = instant('from', from);
  const toMs = to == null ? nowMs : instant('to', to);
  if (toMs <= fromMs) throw new InvalidArgumentError('to', 'must be after from');
  if (toMs - fromMs > KPI_RANGE_LIMITS.maxRangeMs[window]) {
    throw new InvalidArgumentError('from', `the range of ${window} KPIs must be at most ${RANGE_TEXT[window]} (what the KPI table keeps; older history: dailyKpis from the lake)`);
  }
  if (kpiInstanceCount(window, fromMs, toMs) > KPI_RANGE_LIMITS.maxInstances) {
    throw new InvalidArgumentError('to', `gives more than ${KPI_RANGE_LIMITS.maxInstances} window instances`);
  }
  return { scope, scopeId, window, fromMs, toMs };
}

/** Instances overlapping a request's range, oldest first (a stored item may hold neighbours outside it). */
export function instancesInRange(request: KpiRangeRequest, snapshots: readonly KpiSnapshot[]): KpiSnapshot[] {
  return snapshots
    .filter((s) => s.window === request.window)
    .filter((s) => {
      const start = Date.parse(s.windowStart);
      return start < request.toMs && start + windowLengthMs(request.window) > request.fromMs;
    })
    .sort((a, b) => a.windowStart.localeCompare(b.windowStart));
}

function instant(argument: string, text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new InvalidArgumentError(argument, `"${text}" is not an ISO-8601 time with a zone, such as 2026-11-30T06:00:00Z`);
  return ms;
}

/** Read side of KPI history (port): the instances of each request, in request order. */
export interface KpiHistory {
  kpisInRange(requests: readonly KpiRangeRequest[]): Promise<KpiSnapshot[][]>;
}
