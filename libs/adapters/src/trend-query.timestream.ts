import { QueryCommand, TimestreamQueryClient, ValidationException } from '@aws-sdk/client-timestream-query';
import { toDomainError } from './sdk-errors';
import { seriesByGroup, TrendGroupRow, TrendQuery, TrendRequest, TrendScope, TrendSeries } from '@plant/domain';

export interface TimestreamTrendQueryOptions {
  databaseName: string;
  tableName: string;
}

/**
 * TrendQuery on Timestream: one SQL query per (measure, range, bucket) group with every asset of
 * the group in one `IN` list, so a DataLoader batch of N assets costs one query, not N. Reads the
 * multi-measure records the TimestreamTrendStore writes (measure_name = measure, value/unit columns,
 * dimension `asset`). A scoped caller's query carries `plant IN (…)` on the `plant` dimension, so
 * readings of other plants are never read.
 */
export class TimestreamTrendQuery implements TrendQuery {
  constructor(
    private readonly client: TimestreamQueryClient,
    private readonly options: TimestreamTrendQueryOptions,
  ) {}

  series(requests: readonly TrendRequest[], scope: TrendScope = {}): Promise<TrendSeries[]> {
    return seriesByGroup(requests, async ({ measure, assetIds, lastSeconds, bucketSeconds }) =>
      // A caller scoped to no plant reads nothing.
      scope.plantIds?.length === 0 ? [] : this.query(this.sql(measure, assetIds, lastSeconds, bucketSeconds, scope.plantIds)),
    );
  }

  private sql(measure: string, assetIds: string[], lastSeconds: number, bucketSeconds: number, plantIds?: readonly string[]): string {
    const table = `"${this.options.databaseName}"."${this.options.tableName}"`;
    const plantFilter = plantIds ? ` AND plant IN (${plantIds.map(literal).join(', ')})` : '';
    return [
      `SELECT asset, bin(time, ${bucketSeconds}s) AS bucket,`,
      `avg(value) AS avg_value, min(value) AS min_value, max(value) AS max_value, count(value) AS samples, max(unit) AS unit`,
      `FROM ${table}`,
      `WHERE measure_name = ${literal(measure)} AND asset IN (${assetIds.map(literal).join(', ')}) AND time > ago(${lastSeconds}s)${plantFilter}`,
      `GROUP BY asset, bin(time, ${bucketSeconds}s) ORDER BY asset, bucket`,
    ].join(' ');
  }

  private async query(sql: string): Promise<TrendGroupRow[]> {
    const rows: TrendGroupRow[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.client.send(new QueryCommand({ QueryString: sql, NextToken: nextToken }));
        const names = (page.ColumnInfo ?? []).map((c) => c.Name);
        for (const row of page.Rows ?? []) {
          const v = Object.fromEntries(names.map((n, i) => [n, row.Data?.[i]?.NullValue ? null : (row.Data?.[i]?.ScalarValue ?? null)]));
          rows.push({
            assetId: String(v.asset),
            unit: v.unit,
            bucket: {
              time: timestreamTimeToIso(String(v.bucket)),
              avg: Number(v.avg_value),
              min: Number(v.min_value),
              max: Number(v.max_value),
              count: Number(v.samples),
            },
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (err) {
      // A table that has never received a `value` measure has no such column yet: no data, not an error.
      if (err instanceof ValidationException && /column .*value.* (not found|does not exist)/i.test(err.message)) return [];
      throw toDomainError(err, 'timestream');
    }
    return rows;
  }
}

/** SQL string literal; ids are validated upstream, quotes are still doubled. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Timestream prints timestamps as `2026-11-25 08:15:00.000000000` (UTC). */
function timestreamTimeToIso(value: string): string {
  const parsed = new Date(value.includes('T') ? value : `${value.replace(' ', 'T').slice(0, 23)}Z`);
  return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
}
