"""Glue job entry point: runs one SQL script from S3 with Spark SQL over the Glue Data Catalog.

The transforms live in plain SQL files beside this script (shipped as CDK assets), so they can be
read, reviewed and run locally without Glue. Arguments (set by the CDK app and Step Functions):
  --sql_script      s3:// URI of the SQL file
  --database        Glue database of the lake tables
  --lake_bucket     bucket holding the raw/curated/refined/features zones
  --scheduled_time  ISO-8601 time of the scheduled run; the job transforms the UTC date of the hour
                    before it (the 00:xx run finishes the previous day). Re-runs rewrite the
                    date's partitions, so late events are picked up by the next run.
"""
import sys
from datetime import datetime, timedelta, timezone
from string import Template

import boto3
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

ARGS = ["JOB_NAME", "sql_script", "database", "lake_bucket", "scheduled_time"]


def run_date(scheduled_time: str) -> str:
    moment = datetime.fromisoformat(scheduled_time.replace("Z", "+00:00")).astimezone(timezone.utc)
    # The run at 00:xx finishes the previous day: its last hour was still arriving.
    return (moment - timedelta(hours=1)).date().isoformat()


def next_date(day: str) -> str:
    return (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat()


def read_script(uri: str) -> str:
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    return boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")


def main() -> None:
    args = getResolvedOptions(sys.argv, ARGS)
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    day = run_date(args["scheduled_time"])
    sql = Template(read_script(args["sql_script"])).substitute(
        database=args["database"],
        lake_bucket=args["lake_bucket"],
        run_date=day,
        next_date=next_date(day),
    )
    # One statement per ';'; the scripts keep ';' out of string literals and comments.
    for statement in sql.split(";"):
        body = "\n".join(line for line in statement.splitlines() if not line.strip().startswith("--")).strip()
        if body:
            spark.sql(body)
    job.commit()


if __name__ == "__main__":
    main()
