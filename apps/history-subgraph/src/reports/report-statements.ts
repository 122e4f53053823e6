import { lakeParam, LakeParameter, LakeStatement } from '@plant/domain';

/**
 * The report queries (Athena / Trino SQL). Text is constant but for the number of `?` in the `IN`
 * lists; every id, date, cursor and plant travels as a parameter (lakeParam), never in the text.
 * Each statement reads only the `dt` partitions of its range, so Athena prunes the rest.
 */

export type ReportScope = 'asset' | 'line' | 'plant';

/** Column of each scope's id in tables that carry the hierarchy (a fixed map, never user input). */
const SCOPE_COLUMN: Record<ReportScope, string> = { asset: 'asset_id', line: 'line_id', plant: 'plant_id' };

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** `AND plant_id IN (…)` for a scoped caller; nothing for a caller of every plant. */
function plantFilter(plantIds: readonly string[] | undefined): { sql: string; parameters: LakeParameter[] } {
  if (!plantIds) return { sql: '', parameters: [] };
  return { sql: ` AND plant_id IN (${placeholders(plantIds.length)})`, parameters: plantIds.map(lakeParam.string) };
}

export interface RangeGroup {
  scope: ReportScope;
  ids: readonly string[];
  /** yyyy-MM-dd, inclusive */
  from: string;
  to: string;
  plantIds?: readonly string[];
}

export function dailyKpisStatement({ scope, ids, from, to, plantIds }: RangeGroup): LakeStatement {
  const plants = plantFilter(plantIds);
  return {
    sql:
      `SELECT scope_id, dt, good_count, scrap_count, run_seconds, down_seconds, availability, performance, quality, oee FROM kpis_daily ` +
      `WHERE scope = ? AND scope_id IN (${placeholders(ids.length)}) AND dt BETWEEN ? AND ?${plants.sql} ORDER BY scope_id, dt`,
    parameters: [lakeParam.string(scope), ...ids.map(lakeParam.string), lakeParam.date(from), lakeParam.date(to), ...plants.parameters],
    partitions: { from, to },
  };
}

export function downtimeByReasonStatement({ scope, ids, from, to, plantIds }: RangeGroup): LakeStatement {
  const column = SCOPE_COLUMN[scope];
  const plants = plantFilter(plantIds);
  return {
    sql:
      `SELECT ${column} AS scope_id, reason_code, sum(events) AS events, sum(down_seconds) AS down_seconds FROM downtime_by_reason_daily ` +
      `WHERE ${column} IN (${placeholders(ids.length)}) AND dt BETWEEN ? AND ?${plants.sql} GROUP BY ${column}, reason_code`,
    parameters: [...ids.map(lakeParam.string), lakeParam.date(from), lakeParam.date(to), ...plants.parameters],
    partitions: { from, to },
  };
}

export function shiftReportStatement(lineIds: readonly string[], day: string, plantIds?: readonly string[]): LakeStatement {
  const plants = plantFilter(plantIds);
  return {
    sql:
      `SELECT line_id, shift_start, shift_name, good_count, scrap_count, run_seconds, down_seconds, availability, performance, quality, oee, ` +
      `top_downtime_reason, top_downtime_seconds FROM shift_reports WHERE line_id IN (${placeholders(lineIds.length)}) AND dt = ?${plants.sql} ` +
      `ORDER BY line_id, shift_start`,
    parameters: [...lineIds.map(lakeParam.string), lakeParam.date(day), ...plants.parameters],
    partitions: { from: day, to: day },
  };
}

export interface RawEventsGroup {
  assetIds: readonly string[];
  /** ISO-8601 instants, from inclusive, to exclusive */
  from: string;
  to: string;
  first: number;
  /** Keyset cursor: events after (eventTime, eventId). */
  after?: { eventTime: string; eventId: string };
  plantIds?: readonly string[];
}

/** Up to `first + 1` events per asset after the cursor (the extra row tells whether a next page exists). */
export function rawEventsStatement({ assetIds, from, to, first, after, plantIds }: RawEventsGroup): LakeStatement {
  const plants = plantFilter(plantIds);
  const keyset = after ? ' AND (event_time > ? OR (event_time = ? AND event_id > ?))' : '';
  const dtFrom = from.slice(0, 10);
  const dtTo = to.slice(0, 10);
  return {
    sql:
      `SELECT * FROM (SELECT asset_id, event_id, source, kind, event_time, ingest_time, measure, value, quality, good_count, scrap_count, ` +
      `ideal_cycle_seconds, state, reason_code, row_number() OVER (PARTITION BY asset_id ORDER BY event_time, event_id) AS rn FROM plant_events ` +
      `WHERE asset_id IN (${placeholders(assetIds.length)}) AND dt BETWEEN ? AND ? AND event_time >= ? AND event_time < ?${keyset}${plants.sql}) ` +
      `WHERE rn <= ? ORDER BY asset_id, rn`,
    parameters: [
      ...assetIds.map(lakeParam.string),
      lakeParam.date(dtFrom),
      lakeParam.date(dtTo),
      lakeParam.timestamp(from),
      lakeParam.timestamp(to),
      ...(after ? [lakeParam.timestamp(after.eventTime), lakeParam.timestamp(after.eventTime), lakeParam.string(after.eventId)] : []),
      ...plants.parameters,
      lakeParam.number(first + 1),
    ],
    partitions: { from: dtFrom, to: dtTo },
  };
}
