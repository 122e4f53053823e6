import type { FeatureGroupDefinition } from '@plant/config';

/** One row asked for: an entity (asset or line id) at a point in time. */
export interface TrainingEntity {
  id: string;
  /** ISO-8601; features are taken as they were known at this time. */
  eventTime: string;
}

/**
 * The label of a row: a feature's value `horizonSeconds` AFTER the row's event time (e.g.
 * `downtime_events_60m` one hour later: "did the asset go down in the next hour"). The only value
 * a training set takes from the future, on purpose, and named as such.
 */
export interface TrainingLabel {
  featureGroup: FeatureGroupDefinition;
  feature: string;
  horizonSeconds: number;
}

export interface TrainingSetRequest {
  featureGroups: readonly FeatureGroupDefinition[];
  /** The rows; `{ sql }` (a query yielding entity_id, event_time) only for trusted callers such as the benchmark. */
  entities: readonly TrainingEntity[] | { sql: string };
  label?: TrainingLabel;
  /** Only feature records of these plants are joined (undefined: every plant). */
  plantIds?: readonly string[];
}

export type TrainingFeatureStatus = 'PRESENT' | 'NULL' | 'NOT_FOUND' | 'EXPIRED';

export interface TrainingFeature {
  group: string;
  name: string;
  status: TrainingFeatureStatus;
  value: string | null;
  /** Event time of the feature record joined (also for EXPIRED); null when NOT_FOUND. */
  featureTime: string | null;
}

export interface TrainingRow {
  /** Position of the entity in the request (0-based): rows come back in request order. */
  index: number;
  entityId: string;
  eventTime: string;
  features: TrainingFeature[];
  label?: number | null;
}

/**
 * Point-in-time correct training sets over the offline store: for every row and feature group, the
 * newest record at or before the row's event time (never one from the future), its values only
 * while within the group's TTL (older → EXPIRED, null), a deleted record → NOT_FOUND.
 */
export interface TrainingSetQuery {
  rows(request: TrainingSetRequest, offset: number, limit: number): Promise<{ rows: TrainingRow[]; total: number }>;
  /** Writes the whole set as Parquet under `location` (a folder of the lake); returns its row count. */
  export(request: TrainingSetRequest, location: string): Promise<{ rows: number }>;
}
