import type { PlantEvent } from '@plant/contracts';
import { featureStem, HEALTH_MEASURES, HEALTH_WINDOWS_MINUTES, HealthMeasure } from '@plant/config';
import type { KpiSnapshot } from '../kpi/kpi.model';
import { rollingStats, TimedValue } from './rolling-stats';

const MINUTE = 60_000;
/** The longest window any feature looks back over. */
const HORIZON_MS = Math.max(...HEALTH_WINDOWS_MINUTES) * MINUTE;
const MEASURES = new Set<string>(HEALTH_MEASURES);

/** Feature values of one record by feature name, as Feature Store takes them (strings). */
export type FeatureValues = Record<string, string>;

interface Counted {
  eventId: string;
  tMs: number;
}

/**
 * The last 60 minutes of one asset, folded from its events in any order and any number of times:
 * every event is kept by its id, so a replayed batch changes nothing and the features computed
 * from it are the same record. Windows end at the asset's newest event time (never the wall
 * clock), so the same events always give the same values.
 */
export class AssetHealthWindow {
  private readonly seen = new Set<string>();
  private readonly readings = new Map<string, (TimedValue & Counted)[]>();
  private production: (Counted & { good: number; scrap: number })[] = [];
  private alarms: Counted[] = [];
  /** Downtime periods by downtimeId: start and (once known) end. */
  private downtimes = new Map<string, { startMs?: number; endMs?: number; startEventId?: string }>();
  private machineDown = false;
  private oee15m?: { windowStart: string; oee: number };
  private oeeShift?: { windowStart: string; oee: number };
  newestMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly assetId: string,
    readonly lineId: string,
    readonly plantId: string,
  ) {}

  /** Folds an event in; false when it was seen already or is older than every window. */
  apply(event: PlantEvent): boolean {
    const tMs = Date.parse(event.eventTime);
    if (this.seen.has(event.eventId) || tMs < this.newestMs - HORIZON_MS) return false;
    this.seen.add(event.eventId);
    const counted = { eventId: event.eventId, tMs };
    switch (event.kind) {
      case 'measurement':
        if (MEASURES.has(event.measure) && event.quality !== 'bad') {
          const list = this.readings.get(event.measure) ?? [];
          list.push({ ...counted, value: event.value });
          this.readings.set(event.measure, list);
        }
        break;
      case 'production':
        this.production.push({ ...counted, good: event.goodCount, scrap: event.scrapCount });
        break;
      case 'downtime': {
        const period = this.downtimes.get(event.downtimeId) ?? {};
        if (event.phase === 'start') Object.assign(period, { startMs: tMs, startEventId: event.eventId });
        else period.endMs = tMs;
        this.downtimes.set(event.downtimeId, period);
        break;
      }
      case 'alarm':
        if (event.phase === 'raised') this.alarms.push(counted);
        break;
      case 'machine-state':
        if (tMs >= this.newestMs) this.machineDown = event.state === 'down';
        break;
      case 'quality':
        break;
    }
    if (tMs > this.newestMs) this.newestMs = tMs;
    return true;
  }

  /** The live OEE of the asset's current 15-minute and shift windows (the KPI store's own figures). */
  applyKpi(snapshot: KpiSnapshot): void {
    const take = (current: { windowStart: string } | undefined) => !current || current.windowStart <= snapshot.windowStart;
    if (snapshot.window === '15m' && take(this.oee15m)) this.oee15m = { windowStart: snapshot.windowStart, oee: snapshot.figures.oee };
    if (snapshot.window === 'shift' && take(this.oeeShift)) this.oeeShift = { windowStart: snapshot.windowStart, oee: snapshot.figures.oee };
  }

  get isDown(): boolean {
    return this.machineDown || [...this.downtimes.values()].some((p) => p.startMs !== undefined && p.endMs === undefined);
  }

  /** Counters of the last 60 minutes (shared with the line's sums). */
  counters(): { good: number; scrap: number; downtimeEvents: number; downtimeSeconds: number; alarms: number } {
    const from = this.newestMs - HORIZON_MS;
    let good = 0;
    let scrap = 0;
    for (const p of this.production) {
      if (p.tMs <= from) continue;
      good += p.good;
      scrap += p.scrap;
    }
    let downtimeEvents = 0;
    let downMs = 0;
    for (const period of this.downtimes.values()) {
      if (period.startMs === undefined) continue;
      if (period.startMs > from) downtimeEvents++;
      const end = period.endMs ?? this.newestMs;
      downMs += Math.max(0, Math.min(end, this.newestMs) - Math.max(period.startMs, from));
    }
    return { good, scrap, downtimeEvents, downtimeSeconds: downMs / 1000, alarms: this.alarms.filter((a) => a.tMs > from).length };
  }

  /** The asset-health record: features without data are left out (NULL in Feature Store). */
  features(): FeatureValues {
    const values: FeatureValues = {
      asset_id: this.assetId,
      event_time: new Date(this.newestMs).toISOString(),
      plant_id: this.plantId,
      line_id: this.lineId,
    };
    for (const measure of HEALTH_MEASURES) {
      for (const minutes of HEALTH_WINDOWS_MINUTES) {
        const from = this.newestMs - minutes * MINUTE;
        const stats = rollingStats((this.readings.get(measure) ?? []).filter((r) => r.tMs > from));
        const stem = `${featureStem(measure as HealthMeasure)}_${minutes}m`;
        if (!stats) continue;
        values[`${stem}_mean`] = number(stats.mean);
        values[`${stem}_std`] = number(stats.std);
        if (stats.slopePerMinute !== undefined) values[`${stem}_slope`] = number(stats.slopePerMinute);
      }
    }
    Object.assign(values, counterFeatures(this.counters()));
    if (this.oee15m) values.oee_15m = number(this.oee15m.oee);
    if (this.oeeShift) values.oee_shift = number(this.oeeShift.oee);
    return dropNonFinite(values);
  }

  /** Forgets what lies before every window (open downtimes stay: they still count); the builder calls it once per batch. */
  prune(): void {
    const from = this.newestMs - HORIZON_MS;
    const keep = (c: Counted) => {
      if (c.tMs >= from) return true;
      this.seen.delete(c.eventId);
      return false;
    };
    for (const [measure, list] of this.readings) this.readings.set(measure, list.filter(keep));
    this.production = this.production.filter(keep);
    this.alarms = this.alarms.filter(keep);
    for (const [id, period] of this.downtimes) if (period.endMs !== undefined && period.endMs < from) this.downtimes.delete(id);
  }
}

/** Sums of the line's assets: counters, OEE from the line's own live KPIs, assets down now. */
export function lineFeatures(lineId: string, plantId: string, assets: readonly AssetHealthWindow[], kpi: { oee15m?: number; oeeShift?: number }): FeatureValues {
  const sums = { good: 0, scrap: 0, downtimeEvents: 0, downtimeSeconds: 0, alarms: 0 };
  for (const asset of assets) {
    const c = asset.counters();
    sums.good += c.good;
    sums.scrap += c.scrap;
    sums.downtimeEvents += c.downtimeEvents;
    sums.downtimeSeconds += c.downtimeSeconds;
    sums.alarms += c.alarms;
  }
  const values: FeatureValues = {
    line_id: lineId,
    event_time: new Date(Math.max(...assets.map((a) => a.newestMs))).toISOString(),
    plant_id: plantId,
    ...counterFeatures(sums),
    assets_down: String(assets.filter((a) => a.isDown).length),
  };
  if (kpi.oee15m !== undefined) values.oee_15m = number(kpi.oee15m);
  if (kpi.oeeShift !== undefined) values.oee_shift = number(kpi.oeeShift);
  return dropNonFinite(values);
}

function counterFeatures(c: { good: number; scrap: number; downtimeEvents: number; downtimeSeconds: number; alarms: number }): FeatureValues {
  const parts = c.good + c.scrap;
  const values: FeatureValues = {
    cycles_60m: String(parts),
    downtime_events_60m: String(c.downtimeEvents),
    downtime_seconds_60m: number(c.downtimeSeconds),
    alarm_count_60m: String(c.alarms),
  };
  if (parts > 0) values.scrap_rate_60m = number(c.scrap / parts);
  return values;
}

/** Rounded to 12 significant digits: the same inputs in another order give the same string. */
const number = (value: number): string => String(Number(value.toPrecision(12)));

function dropNonFinite(values: FeatureValues): FeatureValues {
  for (const [name, value] of Object.entries(values)) if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') delete values[name];
  return values;
}

/** True when two records hold the same values apart from their event time. */
export function sameFeatureValues(a: FeatureValues | undefined, b: FeatureValues, eventTimeFeature = 'event_time'): boolean {
  if (!a) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (key !== eventTimeFeature && a[key] !== b[key]) return false;
  return true;
}
