-- curated → refined for one event date: hourly KPIs per asset.
-- The features/ zone (offline feature store) is written by the stream-writer's feature sink, not here.
-- Run and down seconds come from machine-state changes: each state lasts until the next change.
CREATE OR REPLACE TEMPORARY VIEW day_events AS
SELECT * FROM ${database}.plant_events WHERE dt = DATE '${run_date}';

CREATE OR REPLACE TEMPORARY VIEW state_spans AS
SELECT
  enterprise_id, plant_id, line_id, asset_id, state,
  date_trunc('HOUR', event_time) AS hour_start,
  unix_timestamp(coalesce(
    lead(event_time) OVER (PARTITION BY asset_id ORDER BY event_time),
    least(date_trunc('HOUR', event_time) + INTERVAL 1 HOUR, current_timestamp())
  )) - unix_timestamp(event_time) AS seconds
FROM day_events
WHERE kind = 'machine-state';

CREATE OR REPLACE TEMPORARY VIEW hourly AS
SELECT
  e.enterprise_id, e.plant_id, e.line_id, e.asset_id,
  date_trunc('HOUR', e.event_time) AS hour_start,
  sum(coalesce(e.good_count, 0)) AS good_count,
  sum(coalesce(e.scrap_count, 0)) AS scrap_count,
  sum(coalesce(e.good_count, 0) + coalesce(e.scrap_count, 0)) AS parts,
  avg(e.ideal_cycle_seconds) AS ideal_cycle_seconds
FROM day_events e
GROUP BY e.enterprise_id, e.plant_id, e.line_id, e.asset_id, date_trunc('HOUR', e.event_time);

CREATE OR REPLACE TEMPORARY VIEW spans_by_hour AS
SELECT
  asset_id, hour_start,
  sum(CASE WHEN state = 'running' THEN seconds ELSE 0 END) AS run_seconds,
  sum(CASE WHEN state = 'down' THEN seconds ELSE 0 END) AS down_seconds
FROM state_spans
GROUP BY asset_id, hour_start;

CREATE OR REPLACE TEMPORARY VIEW ratios AS
SELECT
  h.enterprise_id, h.plant_id, h.line_id, h.asset_id, h.hour_start,
  h.good_count, h.scrap_count,
  coalesce(s.run_seconds, 0) AS run_seconds,
  coalesce(s.down_seconds, 0) AS down_seconds,
  coalesce(s.run_seconds / nullif(s.run_seconds + s.down_seconds, 0), 0) AS availability,
  least(coalesce(h.ideal_cycle_seconds * h.parts / nullif(s.run_seconds, 0), 0), 1) AS performance,
  coalesce(h.good_count / nullif(h.parts, 0), 0) AS quality
FROM hourly h
LEFT JOIN spans_by_hour s ON s.asset_id = h.asset_id AND s.hour_start = h.hour_start;

INSERT OVERWRITE TABLE ${database}.asset_kpis_hourly PARTITION (dt)
SELECT
  enterprise_id, plant_id, line_id, asset_id, hour_start,
  good_count, scrap_count, run_seconds, down_seconds,
  availability, performance, quality,
  availability * performance * quality AS oee,
  to_date(hour_start) AS dt
FROM ratios;
