import { z } from 'zod';

/**
 * The one event contract every plant source is normalised into before it enters Kinesis.
 * Versioned: consumers accept every version they know and dead-letter the rest with the reason.
 */
export const PLANT_EVENT_SCHEMA_VERSION = 1;

export const SourceSystem = z.enum(['pi-historian', 'ampla-iqt', 'das', 'citect-scada']);
export type SourceSystem = z.infer<typeof SourceSystem>;

const id = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');
// At most nanosecond precision with an offset (2026-11-25T08:00:00.123456789+01:00, 35 characters): the
// ISO format allows any number of fraction digits, and a time is copied into asset states and alerts,
// so a megabyte of digits would make items no store accepts.
const ISO_TIME_MAX_LENGTH = 35;
const isoTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 timestamp such as 2026-11-25T08:00:00Z' })
  .max(ISO_TIME_MAX_LENGTH, `must be at most ${ISO_TIME_MAX_LENGTH} characters (at most 9 fraction digits)`);

/** Where an event sits in the plant hierarchy: enterprise → plant → line → asset. */
export const Hierarchy = z.object({
  enterpriseId: id,
  plantId: id,
  lineId: id,
  assetId: id,
});
export type Hierarchy = z.infer<typeof Hierarchy>;

const base = Hierarchy.extend({
  schemaVersion: z.literal(PLANT_EVENT_SCHEMA_VERSION, { message: `must be ${PLANT_EVENT_SCHEMA_VERSION}` }),
  /** Stable per source record: the same source record always yields the same id (idempotent sinks). */
  eventId: id,
  source: SourceSystem,
  eventTime: isoTime,
  ingestTime: isoTime,
});

const MIN_MAGNITUDE = 1e-120;
const MAX_MAGNITUDE = 1e120;
const MAX_PARTS = 1_000_000;
const MAX_CYCLE_SECONDS = 86_400;

export const MeasurementQuality = z.enum(['good', 'uncertain', 'bad']);
export const MachineState = z.enum(['running', 'idle', 'down']);
export type MachineState = z.infer<typeof MachineState>;

/** A numeric reading: PI Historian tag values and DAS sensor readings. */
export const MeasurementEvent = base.extend({
  kind: z.literal('measurement'),
  measure: id,
  // DynamoDB numbers span 1e-130 to 1e126 in magnitude: a reading outside can be neither the asset's latest
  // value nor an alert's value (the write would be refused for good). No plant reading is near these bounds.
  value: z
    .number()
    .finite('must be a finite number')
    .refine((v) => v === 0 || (Math.abs(v) >= MIN_MAGNITUDE && Math.abs(v) <= MAX_MAGNITUDE), `must be 0 or between ${MIN_MAGNITUDE} and ${MAX_MAGNITUDE} in magnitude`),
  unit: z.string().max(32).optional(),
  quality: MeasurementQuality,
});

// Counts and cycle times are bounded so that every KPI counter (ideal ms = cycle × parts, summed over
// a day and a plant) stays an exact integer below 2^53 and within what the stores take.
const count = (min: number) =>
  z.number().int('must be a whole number').min(min, min === 0 ? 'must not be negative' : `must be at least ${min}`).max(MAX_PARTS, `must be at most ${MAX_PARTS}`);

/** Parts produced since the previous production event of the asset (Ampla IQT). */
export const ProductionEvent = base.extend({
  kind: z.literal('production'),
  goodCount: count(0),
  scrapCount: count(0),
  /** The ideal cycle time of one part: performance = ideal time × parts / run time. */
  idealCycleSeconds: z.number().positive('must be greater than 0').max(MAX_CYCLE_SECONDS, `must be at most ${MAX_CYCLE_SECONDS} (one day per part)`),
});

/** A downtime period starting or ending, with its reason (Ampla IQT). */
export const DowntimeEvent = base.extend({
  kind: z.literal('downtime'),
  downtimeId: id,
  phase: z.enum(['start', 'end']),
  reasonCode: id,
  reason: z.string().max(256).optional(),
});

/** A quality finding: defects found on parts already counted (Ampla IQT). */
export const QualityEvent = base.extend({
  kind: z.literal('quality'),
  defectCode: id,
  defectCount: count(1),
});

/** A machine state change read from a SCADA tag (Citect SCADA). */
export const MachineStateEvent = base.extend({
  kind: z.literal('machine-state'),
  state: MachineState,
  reasonCode: z.string().max(128).optional(),
});

/** An alarm raised, acknowledged or cleared (Citect SCADA). Priority 1 is the most severe. */
export const AlarmEvent = base.extend({
  kind: z.literal('alarm'),
  alarmId: id,
  phase: z.enum(['raised', 'acknowledged', 'cleared']),
  priority: z.number().int().min(1, 'must be 1 (highest) to 4').max(4, 'must be 1 (highest) to 4'),
  tag: id,
  message: z.string().max(512),
});

export const PlantEvent = z.discriminatedUnion('kind', [
  MeasurementEvent,
  ProductionEvent,
  DowntimeEvent,
  QualityEvent,
  MachineStateEvent,
  AlarmEvent,
]);
export type PlantEvent = z.infer<typeof PlantEvent>;
export type PlantEventKind = PlantEvent['kind'];
export type MeasurementEvent = z.infer<typeof MeasurementEvent>;
export type ProductionEvent = z.infer<typeof ProductionEvent>;
export type DowntimeEvent = z.infer<typeof DowntimeEvent>;
export type QualityEvent = z.infer<typeof QualityEvent>;
export type MachineStateEvent = z.infer<typeof MachineStateEvent>;
export type AlarmEvent = z.infer<typeof AlarmEvent>;
