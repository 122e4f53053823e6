import type { PlantEvent } from '@plant/contracts';
import type { Prng } from './prng';

/** The ways a buggy edge connector breaks records; every one must end in the dead-letter path. */
export const MALFORMED_KINDS = ['broken-json', 'missing-field', 'negative-count', 'unknown-schema-version'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** Spoils a valid event the way `kind` says and returns the bytes a buggy connector would put on the stream. */
export function malformedRecord(event: PlantEvent, kind: MalformedKind, prng: Prng): string {
  switch (kind) {
    case 'broken-json': {
      const text = JSON.stringify(event);
      return text.slice(0, Math.max(1, Math.floor(text.length * prng.uniform(0.2, 0.9))));
    }
    case 'missing-field': {
      const copy: Record<string, unknown> = { ...event };
      delete copy[prng.pick(['eventTime', 'assetId', 'eventId', 'kind'])];
      return JSON.stringify(copy);
    }
    case 'negative-count':
      return JSON.stringify({ ...event, kind: 'production', goodCount: -prng.int(1, 50), scrapCount: 0, idealCycleSeconds: 4 });
    case 'unknown-schema-version':
      return JSON.stringify({ ...event, schemaVersion: prng.int(2, 9) });
  }
}
