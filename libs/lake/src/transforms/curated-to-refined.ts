import {
  CURATED_PLANT_EVENTS,
  REFINED_ASSET_KPIS,
  REFINED_DAILY_KPIS,
  REFINED_DOWNTIME_BY_REASON,
  REFINED_SENSOR_STATS,
  REFINED_SHIFT_REPORTS,
} from '@plant/config';
import { MAX_ACCOUNTED_GAP_MS } from '@plant/domain';
import type { EtlStep } from '../etl-step';
import type { SqlDialect } from '../sql-dialect';

/**
 * curated → refined, computed like the live KPIs of libs/domain (batch-planner.ts, kpi-counters.ts,
 * kpi-window.ts), in integer milliseconds and parts so that every sum is exact:
 * - Per asset, events in event-time order (ties: ingest time, eventId). The time between two
 *   consecutive events is run, idle or down by the state after the first of them; a gap longer than
 *   MAX_ACCOUNTED_GAP_MS (or none) is not accounted. Down: a downtime open (started, not ended) or
 *   the machine state `down`; its reason is the oldest open downtime's, else the machine state's
 *   reason, else `unspecified`. Idle: machine state `idle`. Else run (an asset starts running).
 * - Production events add good, scrap and ideal ms (round(cycle s × 1000) × parts) at their time;
 *   quality events add defects (good = max(0, good − defects), scrap = parts − good).
 * - Figures from summed counters (kpiFiguresOf): availability = run / (run + idle + down),
 *   performance = min(1, ideal / run), quality = good / parts, OEE = A × P × Q; a ratio over 0 is 0;
 *   each rounded to 6 digits like Math.round(x × 1e6) / 1e6.
 * - Shifts 06–14, 14–22, 22–06 UTC; the production day 06:00–06:00 UTC (dt = its start date).
 * The state before ${read_from} is not known: the step reads one day before the first written date,
 * so a state older than that (a downtime open for more than a day without another downtime event)
 * is the only way the lake and the live KPIs can differ.
 */
const HOUR_MS = 3_600_000;
const SHIFT_MS = 8 * HOUR_MS;
const DAY_MS = 24 * HOUR_MS;
const DAY_START_MS = 6 * HOUR_MS;
const HIERARCHY = 'enterprise_id, plant_id, line_id, asset_id';

/** Start (ms) of the grid instance holding `ms` (≥ 1970, so `%` is never negative). */
const floorTo = (ms: string, length: number, offset = 0) => `(${ms} - (${ms} - ${offset}) % ${length})`;
const round6 = (x: string) => `CAST(floor(${x} * 1000000 + 0.5) AS DOUBLE) / 1000000`;
const ratio = (n: string, dn: string) => `CASE WHEN ${dn} > 0 THEN CAST(${n} AS DOUBLE) / CAST(${dn} AS DOUBLE) ELSE CAST(0 AS DOUBLE) END`;
/** Integer milliseconds as seconds (a double, like `ms / 1000` in TypeScript). */
const seconds = (ms: string) => `CAST(${ms} AS DOUBLE) / 1000`;

/** Summed counters (run_ms … ideal_ms) → the table's figure columns, like kpiFiguresOf. */
function figures(from: string, keys: string): string {
  return `SELECT ${keys},
  good_count, scrap_count, run_seconds, down_seconds, ideal_seconds,
  ${round6('a')} AS availability, ${round6('p')} AS performance, ${round6('q')} AS quality, ${round6('a * p * q')} AS oee
FROM (
  SELECT ${keys},
    greatest(0, good - defects) AS good_count,
    good + scrap - greatest(0, good - defects) AS scrap_count,
    ${seconds('run_ms')} AS run_seconds, ${seconds('down_ms')} AS down_seconds, ${seconds('ideal_ms')} AS ideal_seconds,
    ${ratio('run_ms', 'run_ms + idle_ms + down_ms')} AS a,
    least(CAST(1 AS DOUBLE), ${ratio('ideal_ms', 'run_ms')}) AS p,
    ${ratio('greatest(0, good - defects)', 'good + scrap')} AS q
  FROM ${from}
) f`;
}

const sums = 'sum(run_ms) AS run_ms, sum(idle_ms) AS idle_ms, sum(down_ms) AS down_ms, sum(good) AS good, sum(scrap) AS scrap, sum(defects) AS defects, sum(ideal_ms) AS ideal_ms';

export function curatedToRefined(d: SqlDialect): EtlStep {
  const ts = d.timestampOfMs;
  const dateOfMs = (ms: string) => `CAST(${ts(ms)} AS DATE)`;
  const dayOf = (ms: string) => floorTo(ms, DAY_MS, DAY_START_MS);
  return {
    id: 'curated_to_refined',
    reads: CURATED_PLANT_EVENTS,
    views: [
      {
        name: 'asset_events',
        select: `SELECT e.*, ${d.epochMs('event_time')} AS t_ms,
  row_number() OVER (PARTITION BY asset_id ORDER BY event_time, ingest_time, event_id) AS seq
FROM \${database}.${CURATED_PLANT_EVENTS.name} e
WHERE dt BETWEEN DATE '\${read_from}' AND DATE '\${read_to}'`,
      },
      {
        // Each event opens the step to the asset's next event; state_seq is its latest machine-state event.
        name: 'asset_steps',
        select: `SELECT ${HIERARCHY}, seq, t_ms,
  lead(t_ms) OVER (PARTITION BY asset_id ORDER BY seq) AS next_ms,
  max(CASE WHEN kind = 'machine-state' THEN seq END) OVER (PARTITION BY asset_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS state_seq
FROM asset_events`,
      },
      {
        // A start is open from its event until the next event of the same downtimeId (its end, or a
        // new start that replaces it, as the live asset state does).
        name: 'downtime_spans',
        select: `SELECT asset_id, downtime_id, reason_code, phase, event_time AS since, seq AS open_seq,
  lead(seq) OVER (PARTITION BY asset_id, downtime_id ORDER BY seq) AS close_seq
FROM asset_events
WHERE kind = 'downtime'`,
      },
      {
        name: 'accounted_steps',
        select: `SELECT s.*, m.state AS machine_state, m.reason_code AS state_reason,
  o.reason_code AS downtime_reason, coalesce(o.open_downtimes, 0) AS open_downtimes
FROM asset_steps s
LEFT JOIN asset_events m ON m.asset_id = s.asset_id AND m.seq = s.state_seq
LEFT JOIN (
  SELECT asset_id, seq, reason_code, open_downtimes FROM (
    SELECT s2.asset_id, s2.seq, ds.reason_code,
      count(*) OVER (PARTITION BY s2.asset_id, s2.seq) AS open_downtimes,
      row_number() OVER (PARTITION BY s2.asset_id, s2.seq ORDER BY ds.since, ds.downtime_id) AS oldest
    FROM asset_steps s2
    JOIN downtime_spans ds ON ds.asset_id = s2.asset_id AND ds.phase = 'start'
      AND ds.open_seq <= s2.seq AND (ds.close_seq IS NULL OR ds.close_seq > s2.seq)
  ) x WHERE oldest = 1
) o ON o.asset_id = s.asset_id AND o.seq = s.seq
WHERE s.next_ms - s.t_ms BETWEEN 1 AND ${MAX_ACCOUNTED_GAP_MS}`,
      },
      {
        name: 'asset_segments',
        select: `SELECT ${HIERARCHY}, t_ms AS from_ms, next_ms AS to_ms,
  CASE WHEN open_downtimes > 0 OR machine_state = 'down' THEN 'down' WHEN machine_state = 'idle' THEN 'idle' ELSE 'run' END AS activity,
  CASE WHEN open_downtimes > 0 OR machine_state = 'down' THEN coalesce(downtime_reason, state_reason, 'unspecified') END AS down_reason
FROM accounted_steps`,
      },
      {
        // A step is at most an hour long, so it touches at most two hours (and shifts and days, whose
        // bounds are whole hours).
        name: 'segment_hours',
        select: `SELECT ${HIERARCHY}, activity, down_reason, hour_ms, ms FROM (
  SELECT g.*, ${floorTo('from_ms', HOUR_MS)} AS hour_ms, least(to_ms, ${floorTo('from_ms', HOUR_MS)} + ${HOUR_MS}) - from_ms AS ms FROM asset_segments g
  UNION ALL
  SELECT g.*, ${floorTo('from_ms', HOUR_MS)} + ${HOUR_MS} AS hour_ms, to_ms - (${floorTo('from_ms', HOUR_MS)} + ${HOUR_MS}) AS ms FROM asset_segments g
) p
WHERE ms > 0`,
      },
      {
        name: 'hourly_counters',
        select: `SELECT ${HIERARCHY}, hour_ms, ${sums} FROM (
  SELECT ${HIERARCHY}, hour_ms,
    CASE WHEN activity = 'run' THEN ms ELSE 0 END AS run_ms,
    CASE WHEN activity = 'idle' THEN ms ELSE 0 END AS idle_ms,
    CASE WHEN activity = 'down' THEN ms ELSE 0 END AS down_ms,
    0 AS good, 0 AS scrap, 0 AS defects, 0 AS ideal_ms
  FROM segment_hours
  UNION ALL
  SELECT ${HIERARCHY}, ${floorTo('t_ms', HOUR_MS)} AS hour_ms, 0, 0, 0,
    coalesce(good_count, 0), coalesce(scrap_count, 0), coalesce(defect_count, 0),
    CASE WHEN kind = 'production' THEN CAST(floor(ideal_cycle_seconds * 1000 + 0.5) AS BIGINT) * (good_count + scrap_count) ELSE 0 END
  FROM asset_events
  WHERE kind IN ('production', 'quality')
) c
GROUP BY ${HIERARCHY}, hour_ms`,
      },
      {
        name: 'hourly_downtime',
        select: `SELECT ${HIERARCHY}, hour_ms, down_reason, sum(ms) AS down_ms
FROM segment_hours WHERE activity = 'down'
GROUP BY ${HIERARCHY}, hour_ms, down_reason`,
      },
      {
        name: 'asset_kpis_hourly_out',
        select: `SELECT ${HIERARCHY}, ${ts('hour_ms')} AS hour_start, good_count, scrap_count, run_seconds, down_seconds,
  availability, performance, quality, oee, ${dateOfMs('hour_ms')} AS dt
FROM (${figures('hourly_counters', `${HIERARCHY}, hour_ms`)}) h`,
      },
      {
        name: 'daily_counters',
        select: `SELECT 'asset' AS scope, asset_id AS scope_id, enterprise_id, plant_id, line_id, day_ms, ${sums}
FROM (SELECT h.*, ${dayOf('hour_ms')} AS day_ms FROM hourly_counters h) a GROUP BY asset_id, enterprise_id, plant_id, line_id, day_ms
UNION ALL
SELECT 'line', line_id, enterprise_id, plant_id, line_id, day_ms, ${sums}
FROM (SELECT h.*, ${dayOf('hour_ms')} AS day_ms FROM hourly_counters h) l GROUP BY line_id, enterprise_id, plant_id, day_ms
UNION ALL
SELECT 'plant', plant_id, enterprise_id, plant_id, CAST(NULL AS STRING), day_ms, ${sums}
FROM (SELECT h.*, ${dayOf('hour_ms')} AS day_ms FROM hourly_counters h) p GROUP BY plant_id, enterprise_id, day_ms`,
      },
      {
        name: 'kpis_daily_out',
        select: `SELECT scope, scope_id, enterprise_id, plant_id, line_id, ${ts('day_ms')} AS day_start,
  good_count, scrap_count, run_seconds, down_seconds, ideal_seconds, availability, performance, quality, oee,
  ${dateOfMs('day_ms')} AS dt
FROM (${figures('daily_counters', 'scope, scope_id, enterprise_id, plant_id, line_id, day_ms')}) k`,
      },
      {
        name: 'downtime_by_reason_daily_out',
        select: `SELECT ${HIERARCHY}, ${ts('day_ms')} AS day_start, reason_code, sum(events) AS events, ${seconds('sum(down_ms)')} AS down_seconds,
  ${dateOfMs('day_ms')} AS dt
FROM (
  SELECT ${HIERARCHY}, ${dayOf('hour_ms')} AS day_ms, down_reason AS reason_code, 0 AS events, down_ms FROM hourly_downtime
  UNION ALL
  SELECT ${HIERARCHY}, ${dayOf('t_ms')} AS day_ms, reason_code, 1 AS events, 0 AS down_ms FROM asset_events WHERE kind = 'downtime' AND phase = 'start'
) r
GROUP BY ${HIERARCHY}, day_ms, reason_code`,
      },
      {
        name: 'sensor_stats_hourly_out',
        select: `SELECT ${HIERARCHY}, measure, ${ts('hour_ms')} AS hour_start, count(*) AS samples,
  sum(CASE WHEN quality = 'good' THEN 1 ELSE 0 END) AS good_samples,
  avg(value) AS mean_value, min(value) AS min_value, max(value) AS max_value, stddev_samp(value) AS stddev_value,
  ${dateOfMs('hour_ms')} AS dt
FROM (SELECT e.*, ${floorTo('t_ms', HOUR_MS)} AS hour_ms FROM asset_events e WHERE kind = 'measurement') m
GROUP BY ${HIERARCHY}, measure, hour_ms`,
      },
      {
        name: 'shift_counters',
        select: `SELECT enterprise_id, plant_id, line_id, shift_ms, ${sums}
FROM (SELECT h.*, ${floorTo('hour_ms', SHIFT_MS, DAY_START_MS)} AS shift_ms FROM hourly_counters h) s
GROUP BY enterprise_id, plant_id, line_id, shift_ms`,
      },
      {
        // The largest downtime reason of a line's shift; equal seconds: the first reason code.
        name: 'shift_top_reason',
        select: `SELECT line_id, shift_ms, down_reason, down_ms FROM (
  SELECT line_id, shift_ms, down_reason, down_ms,
    row_number() OVER (PARTITION BY line_id, shift_ms ORDER BY down_ms DESC, down_reason) AS place
  FROM (
    SELECT line_id, ${floorTo('hour_ms', SHIFT_MS, DAY_START_MS)} AS shift_ms, down_reason, sum(down_ms) AS down_ms
    FROM hourly_downtime GROUP BY line_id, ${floorTo('hour_ms', SHIFT_MS, DAY_START_MS)}, down_reason
  ) r
) t WHERE place = 1`,
      },
      {
        name: 'shift_reports_out',
        select: `SELECT s.enterprise_id, s.plant_id, s.line_id, ${ts('s.shift_ms')} AS shift_start,
  CASE WHEN (s.shift_ms - ${DAY_START_MS}) % ${DAY_MS} < ${SHIFT_MS} THEN 'early' WHEN (s.shift_ms - ${DAY_START_MS}) % ${DAY_MS} < ${2 * SHIFT_MS} THEN 'late' ELSE 'night' END AS shift_name,
  s.good_count, s.scrap_count, s.run_seconds, s.down_seconds, s.availability, s.performance, s.quality, s.oee,
  r.down_reason AS top_downtime_reason, ${seconds('r.down_ms')} AS top_downtime_seconds,
  ${dateOfMs(dayOf('s.shift_ms'))} AS dt
FROM (${figures('shift_counters', 'enterprise_id, plant_id, line_id, shift_ms')}) s
LEFT JOIN shift_top_reason r ON r.line_id = s.line_id AND r.shift_ms = s.shift_ms`,
      },
    ],
    outputs: [
      { table: REFINED_ASSET_KPIS, view: 'asset_kpis_hourly_out', orderBy: ['asset_id', 'hour_start'] },
      { table: REFINED_DAILY_KPIS, view: 'kpis_daily_out', orderBy: ['scope', 'scope_id', 'day_start'] },
      { table: REFINED_DOWNTIME_BY_REASON, view: 'downtime_by_reason_daily_out', orderBy: ['asset_id', 'day_start', 'reason_code'] },
      { table: REFINED_SENSOR_STATS, view: 'sensor_stats_hourly_out', orderBy: ['asset_id', 'measure', 'hour_start'] },
      { table: REFINED_SHIFT_REPORTS, view: 'shift_reports_out', orderBy: ['line_id', 'shift_start'] },
    ],
  };
}
