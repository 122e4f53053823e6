import { z } from 'zod';
import type { MeasurementEvent, PlantEvent } from '../plant-event';
import { issuesOf } from '../validation-issues';
import { buildEvent, Clock, isoTimestamp, NormalisationError, parsePayload, SourceNormaliser, systemClock, toUtc } from './source-normaliser';

const SOURCE = 'pi-historian' as const;

/**
 * One archived value of a PI point as the PI Web API returns it (`GET streams/{webId}/value`:
 * Timestamp, Value, UnitsAbbreviation, Good, Questionable, Substituted), plus the point's name,
 * which the connector adds because the Web API addresses points by WebId.
 */
export const PiValuePayload = z.object({
  tag: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
  Timestamp: isoTimestamp,
  /** A number, or a digital state; system states ("I/O Timeout", "Shutdown") carry no reading. */
  Value: z.union([
    z.number().finite('must be a finite number'),
    z.object({ Name: z.string(), Value: z.number().int('must be a whole number'), IsSystem: z.boolean() }),
  ]),
  UnitsAbbreviation: z.string().max(32).optional(),
  Good: z.boolean({ message: 'must be true or false' }),
  Questionable: z.boolean().default(false),
  Substituted: z.boolean().default(false),
});
export type PiValuePayload = z.input<typeof PiValuePayload>;

/** Where a PI tag's values belong: the asset in the hierarchy, the measure name and its unit. */
export const PiTagMapping = z.object({
  enterpriseId: z.string().min(1),
  plantId: z.string().min(1),
  lineId: z.string().min(1),
  assetId: z.string().min(1),
  measure: z.string().min(1),
  unit: z.string().max(32).optional(),
});
export type PiTagMapping = z.infer<typeof PiTagMapping>;

/**
 * The tag → asset/measure table, e.g. `PLT1.L2.PRESS3.TEMP` → acme/plt1/plt1-l2/plt1-l2-press3,
 * `process-temperature` in °C. PI point names are case-insensitive, so lookups are too.
 */
export class PiTagTable {
  private readonly byTag = new Map<string, PiTagMapping>();

  constructor(entries: Record<string, PiTagMapping> | Iterable<readonly [string, PiTagMapping]>) {
    const list = Symbol.iterator in entries ? [...entries] : Object.entries(entries);
    for (const [tag, mapping] of list) {
      const parsed = PiTagMapping.safeParse(mapping);
      if (!parsed.success) throw new Error(`PI tag table entry ${tag} is invalid: ${JSON.stringify(issuesOf(parsed.error))}`);
      const key = tag.toUpperCase();
      if (this.byTag.has(key)) throw new Error(`PI tag table lists ${tag} twice`);
      this.byTag.set(key, parsed.data);
    }
  }

  lookup(tag: string): PiTagMapping | undefined {
    return this.byTag.get(tag.toUpperCase());
  }

  get size(): number {
    return this.byTag.size;
  }

  tags(): string[] {
    return [...this.byTag.keys()];
  }
}

/**
 * PI Historian → measurement events. Quality: not Good → bad; Questionable or Substituted →
 * uncertain; else good. The id key is tag + timestamp (as UTC, so offsets do not matter): PI archives
 * one value per point per time.
 */
export class PiHistorianNormaliser implements SourceNormaliser {
  readonly source = SOURCE;

  constructor(
    private readonly tags: PiTagTable,
    private readonly clock: Clock = systemClock,
  ) {}

  normalise(payload: unknown): PlantEvent[] {
    const value = parsePayload(SOURCE, PiValuePayload, payload);
    const mapping = this.tags.lookup(value.tag);
    if (!mapping) {
      throw new NormalisationError(SOURCE, [{ path: 'tag', message: `unknown PI tag "${value.tag}": it is not in the tag mapping table` }]);
    }
    if (typeof value.Value === 'object' && value.Value.IsSystem) {
      throw new NormalisationError(SOURCE, [
        { path: 'Value', message: `is the system digital state "${value.Value.Name}", which carries no reading` },
      ]);
    }
    if (mapping.unit && value.UnitsAbbreviation && value.UnitsAbbreviation !== mapping.unit) {
      throw new NormalisationError(SOURCE, [
        { path: 'UnitsAbbreviation', message: `is "${value.UnitsAbbreviation}" but tag ${value.tag} is mapped to "${mapping.unit}"` },
      ]);
    }
    const { measure, unit, ...hierarchy } = mapping;
    const eventTime = toUtc(value.Timestamp);
    const body: Omit<MeasurementEvent, 'schemaVersion' | 'source' | 'eventId' | 'ingestTime' | keyof typeof hierarchy> = {
      kind: 'measurement',
      eventTime,
      measure,
      value: typeof value.Value === 'number' ? value.Value : value.Value.Value,
      ...(unit ?? value.UnitsAbbreviation ? { unit: unit ?? value.UnitsAbbreviation } : {}),
      quality: !value.Good ? 'bad' : value.Questionable || value.Substituted ? 'uncertain' : 'good',
    };
    return [buildEvent(SOURCE, hierarchy, [value.tag.toUpperCase(), eventTime], body, this.clock)];
  }
}
