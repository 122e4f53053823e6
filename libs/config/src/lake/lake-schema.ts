import { DeadLetterDelivery } from '../dead-letter-delivery';
import { FEATURE_GROUPS, FeatureGroupDefinition, FeatureType } from '../ml/feature-groups';

/**
 * The lake's tables, declared once. The Glue catalog (LakeCatalog), the Lake Formation grants
 * (Governance), the feature group (MlPlatform) and the ETL SQL under infra/etl read these
 * definitions, so a column renamed here is renamed everywhere or fails a test.
 */

/** Hive/Glue column types the lake uses. */
export type ColumnType = 'string' | 'bigint' | 'int' | 'double' | 'timestamp' | 'date' | 'boolean';

export interface Column {
  name: string;
  type: ColumnType;
  comment: string;
}

/** S3 prefixes of the lake bucket; each zone is one Lake Formation registered location. */
export const LAKE_ZONES = ['raw', 'curated', 'refined', 'features'] as const;
export type LakeZone = (typeof LAKE_ZONES)[number];

/** Prefixes that are not catalogued zones. */
export const LAKE_PREFIXES = {
  /** Firehose `plant-dlq` writes the stream-writer's dead letters here, and its own failures under deadLetterErrors. */
  deadLetter: DeadLetterDelivery.rootPrefix,
  deadLetterErrors: DeadLetterDelivery.errorRootPrefix,
  firehoseErrors: 'raw-errors/',
  featureStore: 'feature-store/',
  models: 'models/',
} as const;

export type StorageFormat = 'json' | 'parquet';

export interface LakeTable {
  name: string;
  zone: LakeZone;
  description: string;
  format: StorageFormat;
  columns: Column[];
  partitionKeys: Column[];
}

const c = (name: string, type: ColumnType, comment: string): Column => ({ name, type, comment });

const hierarchy: Column[] = [
  c('enterprise_id', 'string', 'Enterprise of the asset'),
  c('plant_id', 'string', 'Plant of the asset; partners see only their plants'),
  c('line_id', 'string', 'Production line of the asset'),
  c('asset_id', 'string', 'Station or machine'),
];

/**
 * Firehose writes PlantEvent JSON as received (camelCase, one object per line). The payload
 * fields that differ per event kind stay in the JSON and are read by the curated transform.
 */
export const RAW_PLANT_EVENTS: LakeTable = {
  name: 'plant_events_raw',
  zone: 'raw',
  description: 'PlantEvent JSON lines as delivered by Firehose, partitioned by source and the date and hour of eventTime',
  format: 'json',
  columns: [
    c('schemaversion', 'int', 'PlantEvent contract version'),
    c('eventid', 'string', 'Idempotency id of the event'),
    c('kind', 'string', 'measurement, production, downtime, quality, machine-state or alarm'),
    c('enterpriseid', 'string', 'Enterprise id'),
    c('plantid', 'string', 'Plant id'),
    c('lineid', 'string', 'Line id'),
    c('assetid', 'string', 'Asset id'),
    c('eventtime', 'string', 'ISO-8601 event time'),
    c('ingesttime', 'string', 'ISO-8601 ingest time'),
    c('measure', 'string', 'Measurement name'),
    c('value', 'double', 'Measurement value'),
    c('unit', 'string', 'Measurement unit'),
    c('quality', 'string', 'Measurement quality'),
    c('goodcount', 'bigint', 'Good parts'),
    c('scrapcount', 'bigint', 'Scrapped parts'),
    c('idealcycleseconds', 'double', 'Ideal cycle time of one part'),
    c('state', 'string', 'Machine state'),
    c('reasoncode', 'string', 'Downtime or state reason'),
    c('downtimeid', 'string', 'Downtime period id (start and end share it)'),
    c('phase', 'string', 'Downtime start/end or alarm raised/acknowledged/cleared'),
    c('defectcount', 'bigint', 'Parts found defective (quality events)'),
  ],
  // Firehose's MetadataExtractionQuery takes them from the event itself (local-aws firehose-provision.ts).
  partitionKeys: [
    c('source', 'string', 'Source system'),
    c('dt', 'string', 'Date yyyy-MM-dd of eventTime as written (its own offset)'),
    c('hour', 'string', 'Hour HH of eventTime as written'),
  ],
};

/** Typed, deduplicated events: one row per eventId. */
export const CURATED_PLANT_EVENTS: LakeTable = {
  name: 'plant_events',
  zone: 'curated',
  description: 'Deduplicated, typed plant events in snake_case, partitioned by event date',
  format: 'parquet',
  columns: [
    c('event_id', 'string', 'Idempotency id of the event'),
    c('source', 'string', 'Source system'),
    c('kind', 'string', 'Event kind'),
    ...hierarchy,
    c('event_time', 'timestamp', 'Event time (UTC)'),
    c('ingest_time', 'timestamp', 'Ingest time (UTC)'),
    c('measure', 'string', 'Measurement name'),
    c('value', 'double', 'Measurement value'),
    c('quality', 'string', 'Measurement quality'),
    c('good_count', 'bigint', 'Good parts'),
    c('scrap_count', 'bigint', 'Scrapped parts'),
    c('ideal_cycle_seconds', 'double', 'Ideal cycle time of one part'),
    c('state', 'string', 'Machine state'),
    c('reason_code', 'string', 'Downtime or state reason'),
    // The live KPIs need these three (open downtimes, defects found later): libs/domain batch-planner.ts.
    c('downtime_id', 'string', 'Downtime period id (start and end share it)'),
    c('phase', 'string', 'Downtime start/end or alarm raised/acknowledged/cleared'),
    c('defect_count', 'bigint', 'Parts found defective (quality events)'),
    c('unit', 'string', 'Measurement unit'),
  ],
  partitionKeys: [c('dt', 'date', 'Event date (UTC)')],
};

/** Hourly KPIs per asset: what analysts, BI and partners read. */
export const REFINED_ASSET_KPIS: LakeTable = {
  name: 'asset_kpis_hourly',
  zone: 'refined',
  description: 'Hourly OEE and counts per asset',
  format: 'parquet',
  columns: [
    ...hierarchy,
    c('hour_start', 'timestamp', 'Start of the hour (UTC)'),
    c('good_count', 'bigint', 'Good parts in the hour'),
    c('scrap_count', 'bigint', 'Scrapped parts in the hour'),
    c('run_seconds', 'double', 'Seconds the asset was running'),
    c('down_seconds', 'double', 'Seconds the asset was down'),
    c('availability', 'double', 'run / (run + idle + down), like the live KPIs'),
    c('performance', 'double', 'ideal cycle × parts / run time, at most 1'),
    c('quality', 'double', 'good / (good + scrap), defects found later counted as scrap'),
    c('oee', 'double', 'availability × performance × quality'),
  ],
  partitionKeys: [c('dt', 'date', 'Date of hour_start')],
};

/**
 * Production-day KPIs for assets, lines and plants in one table (`scope` says which), computed like
 * the live KPIs in libs/domain: the production day runs 06:00–06:00 UTC (three shifts), and
 * OEE = availability × performance × quality from the summed counters, never an average of ratios.
 */
export const REFINED_DAILY_KPIS: LakeTable = {
  name: 'kpis_daily',
  zone: 'refined',
  description: 'Daily OEE and counts per asset, line and plant (production day 06:00–06:00 UTC)',
  format: 'parquet',
  columns: [
    c('scope', 'string', 'asset, line or plant'),
    c('scope_id', 'string', 'Id of the asset, line or plant'),
    c('enterprise_id', 'string', 'Enterprise'),
    c('plant_id', 'string', 'Plant; partners see only their plants'),
    c('line_id', 'string', 'Line (null for plant rows)'),
    c('day_start', 'timestamp', 'Start of the production day (06:00 UTC)'),
    c('good_count', 'bigint', 'Good parts in the day'),
    c('scrap_count', 'bigint', 'Scrapped parts in the day'),
    c('run_seconds', 'double', 'Seconds running'),
    c('down_seconds', 'double', 'Seconds down'),
    c('ideal_seconds', 'double', 'Ideal cycle seconds × parts'),
    c('availability', 'double', 'run / (run + idle + down), like the live KPIs'),
    c('performance', 'double', 'ideal seconds / run seconds'),
    c('quality', 'double', 'good / (good + scrap)'),
    c('oee', 'double', 'availability × performance × quality'),
  ],
  partitionKeys: [c('dt', 'date', 'Date of day_start')],
};

/** Downtime per reason and production day: the Pareto chart's bars. */
export const REFINED_DOWNTIME_BY_REASON: LakeTable = {
  name: 'downtime_by_reason_daily',
  zone: 'refined',
  description: 'Downtime events and seconds per asset, reason and production day',
  format: 'parquet',
  columns: [
    ...hierarchy,
    c('day_start', 'timestamp', 'Start of the production day (06:00 UTC)'),
    c('reason_code', 'string', 'Downtime reason'),
    c('events', 'bigint', 'Downtime events with this reason'),
    c('down_seconds', 'double', 'Seconds down with this reason'),
  ],
  partitionKeys: [c('dt', 'date', 'Date of day_start')],
};

/** Sensor statistics per asset, measure and hour. */
export const REFINED_SENSOR_STATS: LakeTable = {
  name: 'sensor_stats_hourly',
  zone: 'refined',
  description: 'Hourly count, mean, min, max and standard deviation of each measure per asset',
  format: 'parquet',
  columns: [
    ...hierarchy,
    c('measure', 'string', 'Measurement name'),
    c('hour_start', 'timestamp', 'Start of the hour (UTC)'),
    c('samples', 'bigint', 'Samples in the hour'),
    c('good_samples', 'bigint', 'Samples of good quality'),
    c('mean_value', 'double', 'Mean of the samples'),
    c('min_value', 'double', 'Minimum sample'),
    c('max_value', 'double', 'Maximum sample'),
    c('stddev_value', 'double', 'Sample standard deviation'),
  ],
  partitionKeys: [c('dt', 'date', 'Date of hour_start')],
};

/** One row per line and shift (06–14, 14–22, 22–06 UTC, like the live `shift` window). */
export const REFINED_SHIFT_REPORTS: LakeTable = {
  name: 'shift_reports',
  zone: 'refined',
  description: 'Per line and shift: parts, OEE and the largest downtime reason',
  format: 'parquet',
  columns: [
    c('enterprise_id', 'string', 'Enterprise'),
    c('plant_id', 'string', 'Plant'),
    c('line_id', 'string', 'Line'),
    c('shift_start', 'timestamp', 'Start of the shift (UTC)'),
    c('shift_name', 'string', 'early, late or night'),
    c('good_count', 'bigint', 'Good parts in the shift'),
    c('scrap_count', 'bigint', 'Scrapped parts in the shift'),
    c('run_seconds', 'double', 'Seconds running, summed over the line\'s assets'),
    c('down_seconds', 'double', 'Seconds down, summed over the line\'s assets'),
    c('availability', 'double', 'run / (run + idle + down), like the live KPIs'),
    c('performance', 'double', 'ideal seconds / run seconds'),
    c('quality', 'double', 'good / (good + scrap)'),
    c('oee', 'double', 'availability × performance × quality'),
    c('top_downtime_reason', 'string', 'Reason with the most down seconds (null without downtime)'),
    c('top_downtime_seconds', 'double', 'Seconds down with that reason'),
  ],
  partitionKeys: [c('dt', 'date', 'Date of the production day the shift belongs to')],
};

/** Glue types of Feature Store's feature types; the event time is a real timestamp offline (ASOF joins). */
const OFFLINE_TYPES: Record<FeatureType, ColumnType> = { String: 'string', Integral: 'bigint', Fractional: 'double' };

/** `asset-health` → `asset_health`: Glue and Athena table names take no hyphens. */
export const offlineTableName = (group: FeatureGroupDefinition): string => group.name.replace(/-/g, '_');

/**
 * The offline store of a feature group, derived from its definition (feature-groups.ts), never
 * written by hand: every feature as a column, plus the two columns SageMaker's offline store adds
 * to each record (`write_time`, `is_deleted`). Training sets join it point-in-time on the event time.
 */
export function offlineFeatureTable(group: FeatureGroupDefinition): LakeTable {
  return {
    name: offlineTableName(group),
    zone: 'features',
    description: `Offline store of feature group ${group.name}: ${group.description}`,
    format: 'parquet',
    columns: [
      ...group.features.map((feature) =>
        c(feature.name, feature.name === group.eventTimeFeatureName ? 'timestamp' : OFFLINE_TYPES[feature.type], feature.description),
      ),
      c('write_time', 'timestamp', 'When the record was written to the feature store'),
      c('is_deleted', 'boolean', 'true for a DeleteRecord marker'),
    ],
    partitionKeys: [c('dt', 'date', 'Date of the event time (UTC)')],
  };
}

/** One offline table per feature group, in the features/ zone. */
export const FEATURE_TABLES: readonly LakeTable[] = FEATURE_GROUPS.map(offlineFeatureTable);

export const LAKE_TABLES: readonly LakeTable[] = [
  RAW_PLANT_EVENTS,
  CURATED_PLANT_EVENTS,
  REFINED_ASSET_KPIS,
  REFINED_DAILY_KPIS,
  REFINED_DOWNTIME_BY_REASON,
  REFINED_SENSOR_STATS,
  REFINED_SHIFT_REPORTS,
  ...FEATURE_TABLES,
];

/** S3 prefix of a table's data: `<zone>/<table>/`. Raw is where Firehose writes. */
export function tablePrefix(table: LakeTable): string {
  return table.zone === 'raw' ? 'raw/' : `${table.zone}/${table.name}/`;
}
