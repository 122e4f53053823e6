import { CURATED_PLANT_EVENTS, RAW_PLANT_EVENTS } from '@plant/config';
import { DEFAULT_EVENT_TIME_BOUNDS, MachineState, MeasurementQuality, PLANT_EVENT_SCHEMA_VERSION, PlantEvent, SourceSystem } from '@plant/contracts';
import type { EtlStep } from '../etl-step';
import type { SqlDialect } from '../sql-dialect';

/**
 * raw → curated: every raw line typed and validated, rejects kept with their reason, one row per
 * eventId (the first copy to arrive), each event in the partition of its own UTC event date.
 * Firehose partitions raw by the date text of eventTime as the producer wrote it (with its offset),
 * so the events of a UTC date lie in that raw date and its neighbours: the step reads
 * ${read_from}..${read_to} and keeps ${from_date}..${to_date}. A late event is in the raw folder of
 * its event date, hence in the curated partition of its event date: the runner re-runs a date whose
 * raw folder changed.
 */

/** The contract's field name of each raw column (the catalog lower-cases them). */
export function rawJsonFields(): string[] {
  const contractFields = [...new Set(PlantEvent.options.flatMap((kind) => Object.keys(kind.shape)))];
  return [...RAW_PLANT_EVENTS.columns.map((c) => c.name), 'source'].map((column) => {
    const field = contractFields.find((f) => f.toLowerCase() === column);
    if (!field) throw new Error(`raw column ${column} is no PlantEvent field`);
    return field;
  });
}

/** Why a raw line is refused, in the order checked; the run log counts rejects per reason. */
export const REJECT_REASONS = [
  'invalid_json',
  'unsupported_schema_version',
  'missing_event_id',
  'unknown_source',
  'missing_hierarchy',
  'bad_event_time',
  'bad_ingest_time',
  'event_time_out_of_bounds',
  'unknown_kind',
  'invalid_measurement',
  'invalid_production',
  'invalid_downtime',
  'invalid_quality',
  'invalid_machine_state',
  'invalid_alarm',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

const list = (values: readonly (string | number)[]) => values.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(', ');
const KINDS = PlantEvent.options.map((kind) => kind.shape.kind.value);
const MAX_PARTS = 1_000_000;
const MAX_CYCLE_SECONDS = 86_400;
const blank = (column: string) => `(${column} IS NULL OR ${column} = '')`;
const wholeCount = (column: string, min: number) => `(${column} IS NULL OR ${column} < ${min} OR ${column} > ${MAX_PARTS} OR ${column} <> floor(${column}))`;

export function rawToCurated(d: SqlDialect): EtlStep {
  const fields = rawJsonFields();
  const j = (field: string) => `j.${field}`;
  const { futureToleranceMs, maxAgeMs } = DEFAULT_EVENT_TIME_BOUNDS;
  return {
    id: 'raw_to_curated',
    reads: 'raw',
    views: [
      {
        name: 'raw_parsed',
        select: `SELECT value AS line, raw_dt, CASE WHEN ${d.isJsonObject('value')} THEN ${d.parseJsonObject('value', fields)} END AS j
FROM raw_lines
WHERE trim(value) <> ''`,
      },
      {
        name: 'raw_typed',
        select: `SELECT
  line, raw_dt, j IS NULL AS not_json,
  ${j('schemaVersion')} AS schema_version,
  ${j('eventId')} AS event_id,
  ${j('source')} AS source,
  ${j('kind')} AS kind,
  ${j('enterpriseId')} AS enterprise_id,
  ${j('plantId')} AS plant_id,
  ${j('lineId')} AS line_id,
  ${j('assetId')} AS asset_id,
  ${d.isoToUtcTimestamp(j('eventTime'))} AS event_time,
  ${d.isoToUtcTimestamp(j('ingestTime'))} AS ingest_time,
  ${j('measure')} AS measure,
  try_cast(${j('value')} AS DOUBLE) AS value,
  ${j('unit')} AS unit,
  ${j('quality')} AS quality,
  try_cast(${j('goodCount')} AS DOUBLE) AS good_number,
  try_cast(${j('scrapCount')} AS DOUBLE) AS scrap_number,
  try_cast(${j('idealCycleSeconds')} AS DOUBLE) AS ideal_cycle_seconds,
  ${j('state')} AS state,
  ${j('reasonCode')} AS reason_code,
  ${j('downtimeId')} AS downtime_id,
  ${j('phase')} AS phase,
  try_cast(${j('defectCount')} AS DOUBLE) AS defect_number
FROM raw_parsed`,
      },
      {
        name: 'raw_checked',
        select: `SELECT t.*,
  CASE
    WHEN not_json THEN 'invalid_json'
    WHEN schema_version IS NULL OR schema_version <> '${PLANT_EVENT_SCHEMA_VERSION}' THEN 'unsupported_schema_version'
    WHEN ${blank('event_id')} THEN 'missing_event_id'
    WHEN source IS NULL OR source NOT IN (${list(SourceSystem.options)}) THEN 'unknown_source'
    WHEN ${blank('enterprise_id')} OR ${blank('plant_id')} OR ${blank('line_id')} OR ${blank('asset_id')} THEN 'missing_hierarchy'
    WHEN event_time IS NULL THEN 'bad_event_time'
    WHEN ingest_time IS NULL THEN 'bad_ingest_time'
    WHEN ${d.epochMs('event_time')} - ${d.epochMs('ingest_time')} > ${futureToleranceMs}
      OR ${d.epochMs('ingest_time')} - ${d.epochMs('event_time')} > ${maxAgeMs} THEN 'event_time_out_of_bounds'
    WHEN kind IS NULL OR kind NOT IN (${list(KINDS)}) THEN 'unknown_kind'
    WHEN kind = 'measurement' AND (${blank('measure')} OR value IS NULL OR quality IS NULL OR quality NOT IN (${list(MeasurementQuality.options)})) THEN 'invalid_measurement'
    WHEN kind = 'production' AND (${wholeCount('good_number', 0)} OR ${wholeCount('scrap_number', 0)}
      OR ideal_cycle_seconds IS NULL OR ideal_cycle_seconds <= 0 OR ideal_cycle_seconds > ${MAX_CYCLE_SECONDS}) THEN 'invalid_production'
    WHEN kind = 'downtime' AND (${blank('downtime_id')} OR ${blank('reason_code')} OR phase IS NULL OR phase NOT IN ('start', 'end')) THEN 'invalid_downtime'
    WHEN kind = 'quality' AND ${wholeCount('defect_number', 1)} THEN 'invalid_quality'
    WHEN kind = 'machine-state' AND (state IS NULL OR state NOT IN (${list(MachineState.options)})) THEN 'invalid_machine_state'
    WHEN kind = 'alarm' AND (phase IS NULL OR phase NOT IN ('raised', 'acknowledged', 'cleared')) THEN 'invalid_alarm'
  END AS reject_reason
FROM raw_typed t`,
      },
      {
        // The first copy to arrive wins; the line text breaks ties, so a re-run keeps the same copy.
        name: 'curated_ranked',
        select: `SELECT c.*, CAST(event_time AS DATE) AS dt,
  row_number() OVER (PARTITION BY event_id ORDER BY ingest_time, line) AS copy_number
FROM raw_checked c
WHERE reject_reason IS NULL
  AND CAST(event_time AS DATE) BETWEEN DATE '\${from_date}' AND DATE '\${to_date}'`,
      },
      {
        name: 'curated_out',
        select: `SELECT
  event_id, source, kind, enterprise_id, plant_id, line_id, asset_id, event_time, ingest_time,
  CASE WHEN kind = 'measurement' THEN measure END AS measure,
  CASE WHEN kind = 'measurement' THEN value END AS value,
  CASE WHEN kind = 'measurement' THEN quality END AS quality,
  CASE WHEN kind = 'production' THEN CAST(good_number AS BIGINT) END AS good_count,
  CASE WHEN kind = 'production' THEN CAST(scrap_number AS BIGINT) END AS scrap_count,
  CASE WHEN kind = 'production' THEN ideal_cycle_seconds END AS ideal_cycle_seconds,
  CASE WHEN kind = 'machine-state' THEN state END AS state,
  CASE WHEN kind IN ('downtime', 'machine-state') THEN reason_code END AS reason_code,
  CASE WHEN kind = 'downtime' THEN downtime_id END AS downtime_id,
  CASE WHEN kind IN ('downtime', 'alarm') THEN phase END AS phase,
  CASE WHEN kind = 'quality' THEN CAST(defect_number AS BIGINT) END AS defect_count,
  CASE WHEN kind = 'measurement' THEN unit END AS unit,
  dt
FROM curated_ranked
WHERE copy_number = 1`,
      },
    ],
    outputs: [{ table: CURATED_PLANT_EVENTS, view: 'curated_out', orderBy: ['asset_id', 'event_time', 'event_id'] }],
  };
}
