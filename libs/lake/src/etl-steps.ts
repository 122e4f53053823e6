import type { ColumnType, LakeTable } from '@plant/config';
import type { EtlOutput, EtlStep } from './etl-step';
import type { SqlDialect } from './sql-dialect';
import { curatedToRefined } from './transforms/curated-to-refined';
import { rawToCurated } from './transforms/raw-to-curated';

/** The lake's ETL in run order, for one engine. */
export function etlSteps(dialect: SqlDialect): EtlStep[] {
  return [rawToCurated(dialect), curatedToRefined(dialect)];
}

/** SQL types of the catalog's column types; both engines read these names. */
const SQL_TYPES: Record<ColumnType, string> = { string: 'STRING', int: 'INT', bigint: 'BIGINT', double: 'DOUBLE', timestamp: 'TIMESTAMP', date: 'DATE', boolean: 'BOOLEAN' };

/** The data columns of an output (partition key excluded), each cast to the catalog's type. */
export function typedColumns(table: LakeTable): string[] {
  return table.columns.map((c) => `CAST(${c.name} AS ${SQL_TYPES[c.type]}) AS ${c.name}`);
}

/** The written table of an output, for messages and the run log. */
export const outputName = (output: EtlOutput) => `${output.table.zone}/${output.table.name}`;
