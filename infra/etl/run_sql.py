"""Glue job entry point: runs one SQL script from S3 with Spark SQL over the Glue Data Catalog.

The scripts beside this file are generated from the ETL definition in libs/lake (`npm run etl:sql`;
CI checks they are current), the same definition the local runner (`npm run etl`) executes with
DuckDB. Arguments (set by the CDK app and Step Functions):
  --sql_script      s3:// URI of the SQL file
  --database        Glue database of the lake tables
  --lake_bucket     bucket holding the raw/curated/refined/features zones
  --scheduled_time  ISO-8601 time of the scheduled run; the job transforms the UTC date of the hour
                    before it (the 00:xx run finishes the previous day). Each run rewrites the
                    partitions of that date and the day before (${from_date}..${to_date}), reading
                    one more day each side (${read_from}..${read_to}: offsets of eventTime, the
                    state an asset was in, production days ending at 06:00 the next day), so late
                    events of the last two days are picked up by the next run.

A script that reads files by path (`USING json OPTIONS (path '…')`) is skipped, successfully, when
a path matches no file: Spark fails such a view with "Path does not exist", and a day (or the
first hour of a new account) without raw data is not an error.

Glue, Spark and boto3 are imported in main() only, so the pure functions can be tested anywhere.
"""
import re
import sys
from datetime import datetime, timedelta, timezone
from string import Template
from typing import Callable, List

ARGS = ["JOB_NAME", "sql_script", "database", "lake_bucket", "scheduled_time"]
FILE_INPUT = re.compile(r"\bUSING\s+\w+\s+OPTIONS\s*\(\s*path\s+'([^']+)'", re.IGNORECASE)


def run_date(scheduled_time: str) -> str:
    moment = datetime.fromisoformat(scheduled_time.replace("Z", "+00:00")).astimezone(timezone.utc)
    # The run at 00:xx finishes the previous day: its last hour was still arriving.
    return (moment - timedelta(hours=1)).date().isoformat()


def next_date(day: str) -> str:
    return (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat()


def shift_date(day: str, days: int) -> str:
    return (datetime.fromisoformat(day) + timedelta(days=days)).date().isoformat()


def render(script: str, database: str, lake_bucket: str, day: str) -> str:
    following, from_date, read_from, read_to = next_date(day), shift_date(day, -1), shift_date(day, -2), shift_date(day, 1)
    raw_dates = ",".join(shift_date(read_from, i) for i in range(4))
    return Template(script).substitute(database=database, lake_bucket=lake_bucket, run_date=day, next_date=following, from_date=from_date, to_date=day, read_from=read_from, read_to=read_to, raw_dates=raw_dates)


def statements(sql: str) -> List[str]:
    """One statement per ';', comment lines dropped; the scripts keep ';' out of literals and comments."""
    bodies = ("\n".join(line for line in part.splitlines() if not line.strip().startswith("--")).strip() for part in sql.split(";"))
    return [body for body in bodies if body]


def missing_inputs(sql: str, matches: Callable[[str], bool]) -> List[str]:
    """The file paths (globs) the script reads that match no file; `matches` asks the file system."""
    return [path for statement in statements(sql) for path in FILE_INPUT.findall(statement) if not matches(path)]


def read_script(uri: str) -> str:
    import boto3

    bucket, key = uri.removeprefix("s3://").split("/", 1)
    return boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")


def hadoop_glob(spark) -> Callable[[str], bool]:
    """Whether a path glob matches anything, resolved by the same Hadoop file system Spark reads with."""
    jvm = spark._jvm
    conf = spark._jsc.hadoopConfiguration()

    def matches(pattern: str) -> bool:
        path = jvm.org.apache.hadoop.fs.Path(pattern)
        found = path.getFileSystem(conf).globStatus(path)
        return found is not None and len(found) > 0

    return matches


def main() -> None:
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext

    args = getResolvedOptions(sys.argv, ARGS)
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    # The transforms compute in UTC (production days, shifts), like the local DuckDB runner.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    day = run_date(args["scheduled_time"])
    sql = render(read_script(args["sql_script"]), args["database"], args["lake_bucket"], day)
    missing = missing_inputs(sql, hadoop_glob(spark))
    if missing:
        print(f"no input for {day}, nothing to transform: {', '.join(missing)} matches no file")
    else:
        for statement in statements(sql):
            spark.sql(statement)
    job.commit()


if __name__ == "__main__":
    main()
