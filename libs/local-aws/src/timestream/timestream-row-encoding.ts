import { type DuckDBAppender, DuckDBTimestampNanosecondsValue } from '@duckdb/node-api';
import type { NormalizedRecord } from './timestream-records';

/** One row in the physical column order: hidden upsert columns, measure_name, time, then dimensions/measures (NULL where absent). */
export function appendRow(appender: DuckDBAppender, order: readonly string[], r: NormalizedRecord): void {
  const dims = new Map(r.dimensions);
  const measures = new Map(r.measures.map((m) => [m.column, m]));
  for (const column of order) {
    switch (column) {
      case '__key':
        appender.appendVarchar(r.key);
        continue;
      case '__version':
        appender.appendBigInt(r.version);
        continue;
      case '__values':
        appender.appendVarchar(r.values);
        continue;
      case 'measure_name':
        appender.appendVarchar(r.measureName);
        continue;
      case 'time':
        appender.appendTimestampNanoseconds(new DuckDBTimestampNanosecondsValue(r.timeNs));
        continue;
    }
    const dimension = dims.get(column);
    if (dimension !== undefined) {
      appender.appendVarchar(dimension);
      continue;
    }
    const measure = measures.get(column);
    if (!measure) {
      appender.appendNull();
      continue;
    }
    switch (measure.type) {
      case 'DOUBLE':
        appender.appendDouble(Number(measure.value));
        break;
      case 'BIGINT':
        appender.appendBigInt(BigInt(measure.value));
        break;
      case 'BOOLEAN':
        appender.appendBoolean(measure.value === 'true');
        break;
      case 'TIMESTAMP':
        appender.appendTimestampNanoseconds(new DuckDBTimestampNanosecondsValue(BigInt(measure.value)));
        break;
      case 'VARCHAR':
        appender.appendVarchar(measure.value);
        break;
    }
  }
  appender.endRow();
}
