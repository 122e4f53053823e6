import { z } from 'zod';
import type { MachineState, PlantEvent } from '../plant-event';
import {
  buildEvent,
  Clock,
  hierarchyFromPath,
  hierarchyPath,
  isoTimestamp,
  NormalisationError,
  parsePayload,
  SourceNormaliser,
  systemClock,
  toUtc,
} from './source-normaliser';

const SOURCE = 'citect-scada' as const;

/** Citect variable tag names: a letter or underscore, then letters, digits or underscores, 79 at most. */
const tag = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,78}$/, 'must be a Citect tag name: a letter or "_", then up to 78 letters, digits or "_"');
/** Citect equipment hierarchy: `enterprise.plant.line.asset`. */
const equipment = hierarchyPath('.');

/** An alarm transition from the Citect alarm server: ON (raised), ACK (acknowledged), OFF (cleared). */
export const CitectAlarmRecord = z.object({
  type: z.literal('alarm'),
  tag,
  equipment,
  state: z.enum(['ON', 'ACK', 'OFF'], { message: 'must be ON, ACK or OFF' }),
  /** When this alarm occurrence went ON; with the tag it identifies the occurrence. */
  onTime: isoTimestamp,
  /** When this transition happened. */
  time: isoTimestamp,
  /** Citect alarm priority, 1 most severe; 5-255 are folded into the contract's lowest priority 4. */
  priority: z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be 1-255').max(255, 'must be 1-255'),
  description: z.string().max(512, 'must be at most 512 characters'),
});

/** A change of an asset's state tag; `value` is the PLC state code (see CITECT_STATE_CODES). */
export const CitectTagStateRecord = z.object({
  type: z.literal('tag-state'),
  tag,
  equipment,
  value: z.number({ message: 'must be a number' }).int('must be a whole number'),
  time: isoTimestamp,
  /** The PLC's or operator's cause of the stop, when it gives one. */
  cause: z.string().min(1).max(128).optional(),
});

export const CitectRecord = z.discriminatedUnion('type', [CitectAlarmRecord, CitectTagStateRecord]);
export type CitectRecord = z.input<typeof CitectRecord>;

/** PLC state codes of the asset state tags and the machine state (and default reason) each means. */
export const CITECT_STATE_CODES: Record<number, { state: MachineState; reasonCode?: string }> = {
  0: { state: 'idle', reasonCode: 'stopped' },
  1: { state: 'running' },
  2: { state: 'down', reasonCode: 'fault' },
  3: { state: 'idle', reasonCode: 'starved' },
  4: { state: 'idle', reasonCode: 'blocked' },
  5: { state: 'down', reasonCode: 'maintenance' },
};

const PHASES = { ON: 'raised', ACK: 'acknowledged', OFF: 'cleared' } as const;

/**
 * Citect SCADA → alarm and machine-state events. Alarm ids: tag + onTime names the occurrence
 * (`alarmId`), + state + time the transition (`eventId`). State changes: tag + time.
 */
export class CitectScadaNormaliser implements SourceNormaliser {
  readonly source = SOURCE;

  constructor(private readonly clock: Clock = systemClock) {}

  normalise(payload: unknown): PlantEvent[] {
    const record = parsePayload(SOURCE, CitectRecord, payload);
    const hierarchy = hierarchyFromPath(record.equipment, '.');
    const time = toUtc(record.time);
    switch (record.type) {
      case 'alarm': {
        const onTime = toUtc(record.onTime);
        return [
          buildEvent(SOURCE, hierarchy, ['alarm', record.tag, onTime, record.state, time], {
            kind: 'alarm',
            eventTime: time,
            alarmId: `${record.tag}@${onTime}`,
            phase: PHASES[record.state],
            priority: Math.min(record.priority, 4),
            tag: record.tag,
            message: record.description,
          }, this.clock),
        ];
      }
      case 'tag-state': {
        const meaning = CITECT_STATE_CODES[record.value];
        if (!meaning) {
          const known = Object.keys(CITECT_STATE_CODES).join(', ');
          throw new NormalisationError(SOURCE, [{ path: 'value', message: `is state code ${record.value}, which is not one of ${known}` }]);
        }
        const reasonCode = meaning.state === 'running' ? undefined : (record.cause ?? meaning.reasonCode);
        return [
          buildEvent(SOURCE, hierarchy, ['tag-state', record.tag, time], {
            kind: 'machine-state',
            eventTime: time,
            state: meaning.state,
            ...(reasonCode ? { reasonCode } : {}),
          }, this.clock),
        ];
      }
    }
  }
}
