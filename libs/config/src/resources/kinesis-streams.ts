import { ResourceNames } from '../env-names';

/**
 * A Kinesis data stream of the platform. Shape and meaning are written once here; capacity is
 * sized per environment: `local` for the local stack (libs/local-aws/src/provision.ts), dev and
 * prod in infra/src/config/environments.ts (whose defaults read `retentionHours`).
 */
export interface KinesisStreamDescription {
  name: string;
  /** Hours a record stays readable: 24 is what Kinesis (and kinesalite) give a new stream. */
  retentionHours: number;
  local: { shards: number };
}

/** Plant events in; partition key = asset id, so one asset's events keep their order. */
export const PlantEventsStream: KinesisStreamDescription = {
  name: ResourceNames.plantEventsStream,
  retentionHours: 24,
  // Four shards locally so lease balancing, resharding and per-shard order are exercised on one machine.
  local: { shards: 4 },
};

/** The live change feed every subgraph replica reads from LATEST (KPI updated, alert changed). */
export const ChangeFeedStream: KinesisStreamDescription = {
  name: ResourceNames.changeFeedStream,
  retentionHours: 24,
  local: { shards: 1 },
};

export const KINESIS_STREAMS: readonly KinesisStreamDescription[] = [PlantEventsStream, ChangeFeedStream];
