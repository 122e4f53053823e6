import { z } from 'zod';
import { deterministicEventId } from '../event-id';
import { Hierarchy, PLANT_EVENT_SCHEMA_VERSION, PlantEvent, SourceSystem } from '../plant-event';
import { formatIssues, issuesOf, ValidationIssue } from '../validation-issues';

/** "Now" for ingest times; injectable so tests and the simulator are deterministic. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** A native payload (or the event built from it) broke a rule; names the source and every broken rule. */
export class NormalisationError extends Error {
  constructor(
    readonly source: SourceSystem,
    readonly issues: ValidationIssue[],
  ) {
    super(`${source} payload rejected: ${formatIssues(issues)}`);
    this.name = 'NormalisationError';
  }
}

/** One edge connector's translation of its native payloads into PlantEvents. */
export interface SourceNormaliser {
  readonly source: SourceSystem;
  /** Throws NormalisationError for a payload that breaks its schema or cannot be mapped. */
  normalise(payload: unknown): PlantEvent[];
}

/** Distributes Omit over the union so each kind keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a normaliser supplies; the envelope (schemaVersion, source, ids, ingestTime) is added here. */
export type EventBody = DistributiveOmit<PlantEvent, 'schemaVersion' | 'source' | 'eventId' | 'ingestTime' | keyof Hierarchy>;

export const isoTimestamp = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 timestamp with a zone, such as 2026-11-25T08:00:00Z',
});

/** Source times may carry any offset; events carry UTC so consumers can compare them as strings. */
export function toUtc(isoWithOffset: string): string {
  return new Date(isoWithOffset).toISOString();
}

export function parsePayload<S extends z.ZodType>(source: SourceSystem, schema: S, payload: unknown): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new NormalisationError(source, issuesOf(parsed.error));
  return parsed.data;
}

/**
 * Adds the envelope to an event body and validates the result against the contract, so a mapping
 * that yields an event the contract rejects (e.g. an over-long asset id in a tag table) fails here
 * at the edge, with the path of the offending event field, rather than in a consumer.
 */
export function buildEvent(
  source: SourceSystem,
  hierarchy: Hierarchy,
  idKey: readonly (string | number)[],
  body: EventBody,
  clock: Clock,
): PlantEvent {
  const candidate = {
    schemaVersion: PLANT_EVENT_SCHEMA_VERSION,
    eventId: deterministicEventId(source, idKey),
    source,
    ...hierarchy,
    ...body,
    ingestTime: clock().toISOString(),
  };
  const parsed = PlantEvent.safeParse(candidate);
  if (!parsed.success) throw new NormalisationError(source, issuesOf(parsed.error, 'event'));
  return parsed.data;
}

/** A hierarchy written as one path, e.g. Ampla's `acme.plt1.plt1-l2.plt1-l2-press1`. */
export function hierarchyPath(separator: '.' | '/') {
  const escaped = separator === '.' ? '\\.' : '/';
  const pattern = new RegExp(`^[^${escaped}\\s]+(${escaped}[^${escaped}\\s]+){3}$`);
  return z.string().regex(pattern, `must be enterprise${separator}plant${separator}line${separator}asset`);
}

export function hierarchyFromPath(path: string, separator: '.' | '/'): Hierarchy {
  const [enterpriseId, plantId, lineId, assetId] = path.split(separator);
  return { enterpriseId, plantId, lineId, assetId };
}
