-- raw → curated for one event date: typed, snake_case, one row per event_id.
-- Firehose partitions raw by arrival hour, so the events of ${run_date} are read from that day and
-- the next one (late arrivals), then filtered on their own event time.
-- The schema is written out (the raw table's columns in lake-schema.ts, with the contract's
-- camelCase names), never inferred: a day without some event kind would otherwise lack columns
-- and fail the job. run_sql.py skips the run when the path matches no file (an empty day).
CREATE OR REPLACE TEMPORARY VIEW raw_window (
  schemaVersion INT,
  eventId STRING,
  kind STRING,
  enterpriseId STRING,
  plantId STRING,
  lineId STRING,
  assetId STRING,
  eventTime STRING,
  ingestTime STRING,
  measure STRING,
  value DOUBLE,
  unit STRING,
  quality STRING,
  goodCount BIGINT,
  scrapCount BIGINT,
  idealCycleSeconds DOUBLE,
  state STRING,
  reasonCode STRING,
  source STRING,
  dt STRING,
  hour STRING
)
USING json
OPTIONS (path 's3://${lake_bucket}/raw/source=*/dt={${run_date},${next_date}}/hour=*/');

CREATE OR REPLACE TEMPORARY VIEW ranked AS
SELECT r.*, row_number() OVER (PARTITION BY eventId ORDER BY ingestTime DESC) AS copy_number
FROM raw_window r
WHERE to_date(to_timestamp(eventTime)) = DATE '${run_date}';

INSERT OVERWRITE TABLE ${database}.plant_events PARTITION (dt)
SELECT
  eventId AS event_id,
  source,
  kind,
  enterpriseId AS enterprise_id,
  plantId AS plant_id,
  lineId AS line_id,
  assetId AS asset_id,
  to_timestamp(eventTime) AS event_time,
  to_timestamp(ingestTime) AS ingest_time,
  measure,
  value,
  quality,
  goodCount AS good_count,
  scrapCount AS scrap_count,
  idealCycleSeconds AS ideal_cycle_seconds,
  state,
  reasonCode AS reason_code,
  to_date(to_timestamp(eventTime)) AS dt
FROM ranked
WHERE copy_number = 1;
