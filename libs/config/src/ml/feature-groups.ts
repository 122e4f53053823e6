/**
 * The SageMaker feature groups, declared once. The stream-writer's feature sink (online values),
 * the ml-subgraph (reads, failure risk), the ETL (offline tables in the lake's `features/` zone),
 * the model training and `infra/` (CfnFeatureGroup, Glue tables) all read these definitions, so a
 * feature renamed here is renamed everywhere or fails a test.
 */

/** Feature Store's three feature types. Event times are ISO-8601 strings (Feature Store's `String`). */
export type FeatureType = 'String' | 'Integral' | 'Fractional';

export interface FeatureDefinition {
  name: string;
  type: FeatureType;
  description: string;
}

export interface FeatureGroupDefinition {
  /** Feature group name in SageMaker (and the table name of its offline store). */
  name: string;
  description: string;
  /** The entity the group describes: `Asset` or `Line` in the GraphQL API. */
  entity: 'asset' | 'line';
  recordIdentifierFeatureName: string;
  eventTimeFeatureName: string;
  /**
   * Freshness: a value older than this (event time + ttl < now, or < the row's time in a training
   * set) is EXPIRED — served with that status online and null in training sets, never as a value.
   */
  ttlSeconds: number;
  /**
   * The online store keeps a record this long after its event time (Feature Store `TtlDuration`,
   * `ExpiresAt`), longer than `ttlSeconds` on purpose: an expired store record is gone, so a reader
   * could not tell EXPIRED from NOT_FOUND if both were equal. Past it the entity reads NOT_FOUND.
   */
  retentionSeconds: number;
  features: readonly FeatureDefinition[];
}

const f = (name: string, type: FeatureType, description: string): FeatureDefinition => ({ name, type, description });

/** Sensor measures with rolling statistics (names as the contract normalises them). */
export const HEALTH_MEASURES = ['vibration', 'temperature', 'motor-current', 'hydraulic-pressure', 'process-temperature'] as const;
export type HealthMeasure = (typeof HEALTH_MEASURES)[number];

/** Rolling windows of the sensor statistics, in minutes. */
export const HEALTH_WINDOWS_MINUTES = [5, 60] as const;

/** `vibration` → `vibration`, `motor-current` → `motor_current`: feature names are snake_case. */
export const featureStem = (measure: HealthMeasure): string => measure.replace(/-/g, '_');

function sensorFeatures(): FeatureDefinition[] {
  const out: FeatureDefinition[] = [];
  for (const measure of HEALTH_MEASURES) {
    for (const minutes of HEALTH_WINDOWS_MINUTES) {
      const stem = `${featureStem(measure)}_${minutes}m`;
      out.push(
        f(`${stem}_mean`, 'Fractional', `Mean ${measure} over the last ${minutes} min`),
        f(`${stem}_std`, 'Fractional', `Standard deviation of ${measure} over the last ${minutes} min`),
        f(`${stem}_slope`, 'Fractional', `Least-squares slope of ${measure} per minute over the last ${minutes} min`),
      );
    }
  }
  return out;
}

const identity = (entity: 'asset' | 'line'): FeatureDefinition[] => [
  f(`${entity}_id`, 'String', `Record identifier: the ${entity} id`),
  f('event_time', 'String', 'ISO-8601 time of the newest event behind these values'),
  f('plant_id', 'String', 'Plant of the record; partners and plant-scoped callers see only their plants'),
];

export const ASSET_HEALTH_FEATURE_GROUP: FeatureGroupDefinition = {
  name: 'asset-health',
  description: 'Rolling sensor statistics, production and downtime counters of one asset',
  entity: 'asset',
  recordIdentifierFeatureName: 'asset_id',
  eventTimeFeatureName: 'event_time',
  ttlSeconds: 6 * 3600,
  retentionSeconds: 48 * 3600,
  features: [
    ...identity('asset'),
    f('line_id', 'String', 'Line of the asset'),
    ...sensorFeatures(),
    f('cycles_60m', 'Integral', 'Parts produced (good + scrap) in the last 60 min'),
    f('scrap_rate_60m', 'Fractional', 'scrap / (good + scrap) in the last 60 min'),
    f('downtime_events_60m', 'Integral', 'Downtime events that started in the last 60 min'),
    f('downtime_seconds_60m', 'Fractional', 'Seconds down in the last 60 min'),
    f('alarm_count_60m', 'Integral', 'Alarms raised in the last 60 min'),
    f('oee_15m', 'Fractional', 'OEE of the current 15-minute window (as the live KPI)'),
    f('oee_shift', 'Fractional', 'OEE of the current shift (as the live KPI)'),
  ],
};

export const LINE_HEALTH_FEATURE_GROUP: FeatureGroupDefinition = {
  name: 'line-health',
  description: 'Production, downtime and alarm counters of one line, summed over its assets',
  entity: 'line',
  recordIdentifierFeatureName: 'line_id',
  eventTimeFeatureName: 'event_time',
  ttlSeconds: 6 * 3600,
  retentionSeconds: 48 * 3600,
  features: [
    ...identity('line'),
    f('cycles_60m', 'Integral', 'Parts produced (good + scrap) in the last 60 min'),
    f('scrap_rate_60m', 'Fractional', 'scrap / (good + scrap) in the last 60 min'),
    f('downtime_events_60m', 'Integral', 'Downtime events that started in the last 60 min'),
    f('downtime_seconds_60m', 'Fractional', 'Seconds down in the last 60 min, summed over assets'),
    f('alarm_count_60m', 'Integral', 'Alarms raised in the last 60 min'),
    f('oee_15m', 'Fractional', 'OEE of the current 15-minute window (as the live KPI)'),
    f('oee_shift', 'Fractional', 'OEE of the current shift (as the live KPI)'),
    f('assets_down', 'Integral', 'Assets of the line that are down now'),
  ],
};

export const FEATURE_GROUPS: readonly FeatureGroupDefinition[] = [ASSET_HEALTH_FEATURE_GROUP, LINE_HEALTH_FEATURE_GROUP];

export function featureGroupNamed(name: string): FeatureGroupDefinition | undefined {
  return FEATURE_GROUPS.find((g) => g.name === name);
}

/** Names of a group's value features (identity and event time excluded): what callers ask for. */
export function valueFeatureNames(group: FeatureGroupDefinition): string[] {
  return group.features.map((feature) => feature.name).filter((name) => name !== group.recordIdentifierFeatureName && name !== group.eventTimeFeatureName);
}
