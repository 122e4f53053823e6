import type { PlantEvent } from '@plant/contracts';
import { padSequence, SequencedEvent } from '@plant/domain';

/** Small builders of valid PlantEvents for unit tests of the pure routing logic. */
const hierarchy = { enterpriseId: 'ent-1', plantId: 'plant-1', lineId: 'line-1', assetId: 'asset-1' };
let counter = 0;

type Kind = PlantEvent['kind'];
type Fields<K extends Kind> = Omit<Extract<PlantEvent, { kind: K }>, 'kind' | 'schemaVersion' | 'eventId' | 'source' | 'eventTime' | 'ingestTime' | 'enterpriseId' | 'plantId' | 'lineId' | 'assetId'>;

export function plantEvent<K extends Kind>(
  kind: K,
  at: string,
  fields: Fields<K>,
  overrides: Partial<Pick<PlantEvent, 'assetId' | 'lineId' | 'plantId' | 'eventId'>> = {},
): Extract<PlantEvent, { kind: K }> {
  const source = kind === 'measurement' ? 'das' : kind === 'machine-state' || kind === 'alarm' ? 'citect-scada' : 'ampla-iqt';
  return {
    ...hierarchy,
    schemaVersion: 1,
    eventId: `evt-${++counter}`,
    source,
    eventTime: at,
    ingestTime: at,
    kind,
    ...fields,
    ...overrides,
  } as unknown as Extract<PlantEvent, { kind: K }>;
}

/** Gives events consecutive sequence numbers starting at `first`. */
export function sequenced(events: PlantEvent[], first = 1): SequencedEvent[] {
  return events.map((event, i) => ({ sequence: padSequence(String(first + i)), event }));
}
