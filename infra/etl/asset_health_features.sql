-- Hand-written Spark SQL (the ML feature tables are owned by the ML work; libs/lake does not
-- generate them): appended to curated_to_refined.sql by `npm run etl:sql`, after asset_kpis_hourly.
-- Features look back 24 hours, so yesterday's KPIs are read too. Only ${run_date} is written.
CREATE OR REPLACE TEMPORARY VIEW day_events AS
SELECT * FROM ${database}.plant_events WHERE dt = DATE '${run_date}';

CREATE OR REPLACE TEMPORARY VIEW rolling AS
SELECT
  asset_id, plant_id, hour_start,
  avg(oee) OVER last_day AS oee_24h,
  sum(down_seconds) OVER last_day AS down_seconds_24h,
  sum(scrap_count) OVER last_day AS scrap_24h,
  sum(good_count + scrap_count) OVER last_day AS parts_24h
FROM ${database}.asset_kpis_hourly
WHERE dt BETWEEN date_sub(DATE '${run_date}', 1) AND DATE '${run_date}'
WINDOW last_day AS (PARTITION BY asset_id ORDER BY hour_start RANGE BETWEEN INTERVAL 23 HOURS PRECEDING AND CURRENT ROW);

CREATE OR REPLACE TEMPORARY VIEW sensors AS
SELECT
  asset_id,
  date_trunc('HOUR', event_time) AS hour_start,
  avg(CASE WHEN measure = 'vibration' THEN value END) AS vibration_mean_1h,
  max(CASE WHEN measure = 'temperature' THEN value END) AS temperature_max_1h
FROM day_events
WHERE kind = 'measurement'
GROUP BY asset_id, date_trunc('HOUR', event_time);

INSERT OVERWRITE TABLE ${database}.asset_health_features PARTITION (dt)
SELECT
  r.asset_id,
  r.hour_start + INTERVAL 1 HOUR AS event_time,
  r.plant_id,
  r.oee_24h,
  r.down_seconds_24h,
  coalesce(r.scrap_24h / nullif(r.parts_24h, 0), 0) AS scrap_rate_24h,
  m.vibration_mean_1h,
  m.temperature_max_1h,
  to_date(r.hour_start) AS dt
FROM rolling r
LEFT JOIN sensors m ON m.asset_id = r.asset_id AND m.hour_start = r.hour_start
WHERE to_date(r.hour_start) = DATE '${run_date}';
