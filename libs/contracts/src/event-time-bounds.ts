import type { PlantEvent } from './plant-event';

/**
 * How far an event's times may lie from the moment the platform took the record (its ingest time:
 * Kinesis's ApproximateArrivalTimestamp, set by the service, so a producer's clock or a bug cannot
 * move it). The contract accepts any ISO time from year 0001 to 9999; folding such a time into the
 * KPIs would move an asset's accounting cursor to it for good, so consumers refuse events outside
 * these bounds (dead letters with the reason) before they reach any sink.
 */
export interface EventTimeBounds {
  /** Clock skew allowed for a time after the ingest time. */
  futureToleranceMs: number;
  /** Oldest accepted time before the ingest time (edge buffering after an outage). */
  maxAgeMs: number;
}

/**
 * 5 minutes of clock skew (Timestream accepts at most 15 minutes ahead of its clock); 7 days of
 * edge buffering (the KPI quarter hours live 14 days; Kinesis keeps records 1–7 days).
 */
export const DEFAULT_EVENT_TIME_BOUNDS: EventTimeBounds = { futureToleranceMs: 5 * 60_000, maxAgeMs: 7 * 24 * 60 * 60_000 };

/**
 * Why the event's `eventTime` or `ingestTime` lies outside the bounds around `ingestMs`, or
 * undefined when both are inside (the bounds themselves are accepted). Both times are checked:
 * `ingestTime` becomes the trend store's record version.
 */
export function eventTimeViolation(event: Pick<PlantEvent, 'eventTime' | 'ingestTime'>, ingestMs: number, bounds: EventTimeBounds): string | undefined {
  for (const field of ['eventTime', 'ingestTime'] as const) {
    const atMs = Date.parse(event[field]);
    if (Number.isNaN(atMs)) return `${field} ${JSON.stringify(event[field].slice(0, 80))} is not a time`;
    const ahead = atMs - ingestMs;
    if (ahead > bounds.futureToleranceMs) {
      return `${field} ${event[field]} is ${duration(ahead)} after the ingest time ${new Date(ingestMs).toISOString()} (at most ${duration(bounds.futureToleranceMs)} accepted)`;
    }
    if (-ahead > bounds.maxAgeMs) {
      return `${field} ${event[field]} is ${duration(-ahead)} before the ingest time ${new Date(ingestMs).toISOString()} (at most ${duration(bounds.maxAgeMs)} accepted)`;
    }
  }
  return undefined;
}

/** The latest time an event ingested at `ingestMs` may account an asset's time up to. */
export function latestAccountableMs(ingestMs: number, bounds: EventTimeBounds): number {
  return ingestMs + bounds.futureToleranceMs;
}

function duration(ms: number): string {
  const units: [number, string][] = [
    [24 * 60 * 60_000, 'd'],
    [60 * 60_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size) return `${Math.floor(ms / size)} ${unit}`;
  return `${ms} ms`;
}
