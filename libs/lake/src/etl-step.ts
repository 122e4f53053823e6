import type { LakeTable } from '@plant/config';

/**
 * One ETL step written once: named views (SELECTs in the portable SQL subset, see sql-dialect.ts)
 * and the tables it writes, each from a view holding exactly the table's columns plus `dt`.
 * The engines differ only in how the inputs are bound and how partitions are written:
 * spark-sql.ts renders `INSERT OVERWRITE … PARTITION (dt)` for Glue, duckdb-etl-runner.ts writes
 * Parquet files per `dt=` folder. Placeholders, substituted by both runners:
 *   ${database}              the lake's Glue database (locally a DuckDB schema of views over Parquet)
 *   ${from_date}/${to_date}  the partitions written (inclusive, yyyy-MM-dd)
 *   ${read_from}/${read_to}  the input partitions read: one more day each side (offsets, lookback)
 */
export interface EtlView {
  name: string;
  select: string;
}

export interface EtlOutput {
  table: LakeTable;
  view: string;
  /** Rows are written in this order, so a re-run writes identical files. */
  orderBy: string[];
}

export interface EtlStep {
  id: 'raw_to_curated' | 'curated_to_refined';
  /** What the step reads: `raw_lines(value STRING, raw_dt STRING)` or `${database}.<table>`. */
  reads: 'raw' | LakeTable;
  views: EtlView[];
  outputs: EtlOutput[];
}

export const PLACEHOLDERS = ['database', 'from_date', 'to_date', 'read_from', 'read_to'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Substitutes `${name}` placeholders; an unknown one is an error, never left in the SQL. */
export function substitute(sql: string, values: Partial<Record<string, string>>): string {
  return sql.replace(/\$\{(\w+)\}/g, (all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the placeholder ${all}`);
    return value;
  });
}

/** The output columns of a table in the order the catalog declares them, partition key last. */
export function outputColumns(table: LakeTable): string[] {
  return [...table.columns, ...table.partitionKeys].map((c) => c.name);
}
