import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ColumnType, FeatureGroupDefinition, offlineFeatureTable, tablePrefix } from '@plant/config';
import type { TrainingFeature, TrainingRow, TrainingSetQuery, TrainingSetRequest } from '@plant/domain';

const DUCK_TYPES: Record<ColumnType, string> = { string: 'VARCHAR', bigint: 'BIGINT', int: 'INTEGER', double: 'DOUBLE', timestamp: 'TIMESTAMP', date: 'DATE', boolean: 'BOOLEAN' };
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * TrainingSetQuery on DuckDB over the lake's offline feature tables (features/<table>/dt=…/, JSON
 * lines as the local Feature Store appends them). Point in time with `ASOF LEFT JOIN … ON
 * entity = entity AND row time >= feature time` per group: the newest record not after the row,
 * never a later one. https://duckdb.org/docs/stable/guides/sql_features/asof_join
 * In AWS the same SQL shape runs on Athena over the Glue tables (issue 11's lake adapter).
 */
export class DuckDbTrainingSetQuery implements TrainingSetQuery {
  private instance?: Promise<DuckDBInstance>;
  private sequence = 0;

  constructor(private readonly lakeDir: string) {}

  async rows(request: TrainingSetRequest, offset: number, limit: number): Promise<{ rows: TrainingRow[]; total: number }> {
    return this.withEntities(request, async (db, entities) => {
      const total = Number((await db.runAndReadAll(`SELECT count(*) FROM ${entities}`)).getRows()[0][0]);
      const reader = await db.runAndReadAll(`${this.joinSql(request, entities, 'raw')} WHERE e.row_index >= ${offset} AND e.row_index < ${offset + limit} ORDER BY e.row_index`);
      const rows = reader.getRowObjectsJson().map((row) => this.rowOf(request, row as Record<string, unknown>));
      return { rows, total };
    });
  }

  async export(request: TrainingSetRequest, location: string): Promise<{ rows: number }> {
    mkdirSync(location, { recursive: true });
    return this.withEntities(request, async (db, entities) => {
      const file = join(location, 'part-0.parquet');
      await db.run(`COPY (${this.joinSql(request, entities, 'export')} ORDER BY e.row_index) TO ${quoteString(file)} (FORMAT parquet)`);
      const count = await db.runAndReadAll(`SELECT count(*) FROM read_parquet(${quoteString(file)})`);
      return { rows: Number(count.getRows()[0][0]) };
    });
  }

  /** Runs `work` with the request's entities in a temporary table (row_index, entity_id, event_time). */
  private async withEntities<T>(request: TrainingSetRequest, work: (db: DuckDBConnection, table: string) => Promise<T>): Promise<T> {
    this.instance ??= DuckDBInstance.create(':memory:');
    const db = await (await this.instance).connect();
    const table = `entities_${++this.sequence}`;
    try {
      await db.run(`SET TimeZone = 'UTC'`);
      if ('sql' in request.entities) {
        await db.run(`CREATE TEMP TABLE ${table} AS SELECT (row_number() OVER () - 1)::BIGINT AS row_index, entity_id::VARCHAR AS entity_id, event_time::TIMESTAMP AS event_time FROM (${request.entities.sql})`);
      } else {
        // Appended as text, then cast once in SQL: ISO-8601 with Z reads as UTC.
        await db.run(`CREATE TEMP TABLE ${table}_in (row_index BIGINT, entity_id VARCHAR, event_time VARCHAR)`);
        const appender = await db.createAppender(`${table}_in`, 'main', 'temp');
        request.entities.forEach((entity, index) => {
          appender.appendBigInt(BigInt(index));
          appender.appendVarchar(entity.id);
          appender.appendVarchar(entity.eventTime);
          appender.endRow();
        });
        appender.closeSync();
        await db.run(`CREATE TEMP TABLE ${table} AS SELECT row_index, entity_id, event_time::TIMESTAMPTZ::TIMESTAMP AS event_time FROM ${table}_in`);
      }
      return await work(db, table);
    } finally {
      await db.run(`DROP TABLE IF EXISTS ${table}; DROP TABLE IF EXISTS ${table}_in`).catch(() => undefined);
      db.closeSync();
    }
  }

  /** One ASOF join per group (and one for the label, at event time + horizon). */
  private joinSql(request: TrainingSetRequest, entities: string, mode: 'raw' | 'export'): string {
    const ctes: string[] = [];
    const joins: string[] = [];
    const columns: string[] = ['e.row_index', 'e.entity_id', `strftime(e.event_time, '%Y-%m-%dT%H:%M:%S.%g') || 'Z' AS event_time`];
    const single = request.featureGroups.length === 1;
    request.featureGroups.forEach((group, g) => {
      ctes.push(`g${g} AS (${this.featureRows(group, request.plantIds)})`);
      joins.push(`ASOF LEFT JOIN g${g} ON e.entity_id = g${g}.entity_id AND e.event_time >= g${g}.feature_time`);
      const fresh = `g${g}.feature_time > e.event_time - INTERVAL ${group.ttlSeconds} SECOND AND NOT g${g}.is_deleted`;
      if (mode === 'raw') columns.push(`strftime(g${g}.feature_time, '%Y-%m-%dT%H:%M:%S.%g') || 'Z' AS g${g}__time`, `g${g}.is_deleted AS g${g}__deleted`, `(${fresh}) AS g${g}__fresh`);
      for (const name of this.valueColumns(group)) {
        const alias = mode === 'raw' ? `g${g}__${name}` : single ? name : `${offlineFeatureTable(group).name}__${name}`;
        columns.push(mode === 'raw' ? `g${g}.${quoteIdent(name)}::VARCHAR AS ${quoteIdent(alias)}` : `CASE WHEN ${fresh} THEN g${g}.${quoteIdent(name)} END AS ${quoteIdent(alias)}`);
      }
    });
    const label = request.label;
    if (label) {
      ctes.push(`lbl AS (${this.featureRows(label.featureGroup, request.plantIds)})`);
      joins.push(`ASOF LEFT JOIN lbl ON e.entity_id = lbl.entity_id AND e.event_time + INTERVAL ${label.horizonSeconds} SECOND >= lbl.feature_time`);
      columns.push(`CASE WHEN NOT lbl.is_deleted THEN lbl.${quoteIdent(label.feature)}::DOUBLE END AS label`);
    }
    return `WITH ${ctes.join(', ')} SELECT ${columns.join(', ')} FROM ${entities} e ${joins.join(' ')}`;
  }

  private valueColumns(group: FeatureGroupDefinition): string[] {
    return group.features.map((f) => f.name).filter((n) => n !== group.recordIdentifierFeatureName && n !== group.eventTimeFeatureName);
  }

  /** The group's offline records, one per entity and event time (the latest write wins). */
  private featureRows(group: FeatureGroupDefinition, plantIds: readonly string[] | undefined): string {
    const table = offlineFeatureTable(group);
    const all = [...table.columns];
    const typed = all.map((c) => `${quoteIdent(c.name)} ${DUCK_TYPES[c.type]}`);
    const dir = join(this.lakeDir, tablePrefix(table));
    const select = `${quoteIdent(group.recordIdentifierFeatureName)} AS entity_id, ${quoteIdent(group.eventTimeFeatureName)} AS feature_time, *`;
    if (!hasJson(dir)) return `SELECT NULL::VARCHAR AS entity_id, NULL::TIMESTAMP AS feature_time, * FROM (SELECT ${typed.map((t) => `NULL::${t.split(' ').pop()} AS ${t.split(' ')[0]}`).join(', ')}) WHERE false`;
    const columns = `{${all.map((c) => `${quoteString(c.name)}: ${quoteString(DUCK_TYPES[c.type])}`).join(', ')}}`;
    const plantFilter = plantIds ? `WHERE plant_id IN (${plantIds.length ? plantIds.map(quoteString).join(', ') : 'NULL'})` : '';
    return `SELECT ${select} FROM read_json(${quoteString(join(dir, '*', '*.json'))}, format = 'newline_delimited', columns = ${columns}) ${plantFilter}
      QUALIFY row_number() OVER (PARTITION BY entity_id, feature_time ORDER BY write_time DESC) = 1`;
  }

  private rowOf(request: TrainingSetRequest, row: Record<string, unknown>): TrainingRow {
    const features: TrainingFeature[] = [];
    request.featureGroups.forEach((group, g) => {
      const time = (row[`g${g}__time`] ?? null) as string | null;
      const featureTime = time;
      const deleted = row[`g${g}__deleted`] === true;
      for (const name of this.valueColumns(group)) {
        const value = row[`g${g}__${name}`] as string | null;
        const status = time === null || deleted ? 'NOT_FOUND' : row[`g${g}__fresh`] !== true ? 'EXPIRED' : value === null ? 'NULL' : 'PRESENT';
        features.push({ group: group.name, name, status, value: status === 'PRESENT' ? String(value) : null, featureTime: status === 'NOT_FOUND' ? null : featureTime });
      }
    });
    return {
      index: Number(row.row_index),
      entityId: String(row.entity_id),
      eventTime: String(row.event_time),
      features,
      ...(request.label ? { label: row.label === null || row.label === undefined ? null : Number(row.label) } : {}),
    };
  }
}

function hasJson(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some((d) => d.isDirectory() && readdirSync(join(dir, d.name)).some((f) => f.endsWith('.json')));
}
