import { z } from 'zod';
import type { PlantEvent } from '../plant-event';
import {
  buildEvent,
  Clock,
  hierarchyFromPath,
  hierarchyPath,
  isoTimestamp,
  parsePayload,
  SourceNormaliser,
  systemClock,
  toUtc,
} from './source-normaliser';

const SOURCE = 'ampla-iqt' as const;

const recordId = z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1');
/** Ampla's equipment location: `enterprise.plant.line.asset`. */
const location = hierarchyPath('.');
const count = z.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative');
const code = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

/** Parts counted by Ampla's Production module over one sample period ending at `sampleTime`. */
export const AmplaProductionRecord = z.object({
  module: z.literal('production'),
  recordId,
  location,
  sampleTime: isoTimestamp,
  goodQuantity: count,
  rejectQuantity: count,
  idealCycleTimeSeconds: z.number({ message: 'must be a number' }).positive('must be greater than 0'),
  productCode: z.string().max(64).optional(),
});

/** A Downtime module record: open while `endTime` is null; Ampla updates the same record when it closes. */
export const AmplaDowntimeRecord = z
  .object({
    module: z.literal('downtime'),
    recordId,
    location,
    startTime: isoTimestamp,
    endTime: isoTimestamp.nullable().default(null),
    causeCode: code,
    causeDescription: z.string().max(256).optional(),
  })
  .refine((r) => r.endTime === null || Date.parse(r.endTime) >= Date.parse(r.startTime), {
    path: ['endTime'],
    message: 'must not be before startTime',
  });

/** A Quality module sample: defects found on parts already counted. */
export const AmplaQualityRecord = z.object({
  module: z.literal('quality'),
  recordId,
  location,
  sampleTime: isoTimestamp,
  defectCode: code,
  defectCount: z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1'),
});

export const AmplaRecord = z.discriminatedUnion('module', [AmplaProductionRecord, AmplaDowntimeRecord, AmplaQualityRecord]);
export type AmplaRecord = z.input<typeof AmplaRecord>;

/**
 * Ampla IQT → production, downtime and quality events. Record ids are unique per Ampla server
 * (one per plant), so the id key is module + location + record id. A closed downtime record yields
 * its start event again (same id, so idempotent sinks keep one) plus the end event: the connector
 * may never have seen the record open.
 */
export class AmplaIqtNormaliser implements SourceNormaliser {
  readonly source = SOURCE;

  constructor(private readonly clock: Clock = systemClock) {}

  normalise(payload: unknown): PlantEvent[] {
    const record = parsePayload(SOURCE, AmplaRecord, payload);
    const hierarchy = hierarchyFromPath(record.location, '.');
    const key = [record.module, record.location, record.recordId];
    switch (record.module) {
      case 'production':
        return [
          buildEvent(SOURCE, hierarchy, key, {
            kind: 'production',
            eventTime: toUtc(record.sampleTime),
            goodCount: record.goodQuantity,
            scrapCount: record.rejectQuantity,
            idealCycleSeconds: record.idealCycleTimeSeconds,
          }, this.clock),
        ];
      case 'quality':
        return [
          buildEvent(SOURCE, hierarchy, key, {
            kind: 'quality',
            eventTime: toUtc(record.sampleTime),
            defectCode: record.defectCode,
            defectCount: record.defectCount,
          }, this.clock),
        ];
      case 'downtime': {
        const downtime = {
          kind: 'downtime' as const,
          downtimeId: `${hierarchy.plantId}:${record.recordId}`,
          reasonCode: record.causeCode,
          ...(record.causeDescription ? { reason: record.causeDescription } : {}),
        };
        const start = buildEvent(SOURCE, hierarchy, [...key, 'start'], { ...downtime, phase: 'start', eventTime: toUtc(record.startTime) }, this.clock);
        if (record.endTime === null) return [start];
        return [start, buildEvent(SOURCE, hierarchy, [...key, 'end'], { ...downtime, phase: 'end', eventTime: toUtc(record.endTime) }, this.clock)];
      }
    }
  }
}
