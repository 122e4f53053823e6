import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureGroupDefinition, offlineFeatureTable, tablePrefix } from '@plant/config';
import { AwsApiError } from '../aws-json-handler';

/** A Feature Store record on the wire: every value a string. */
export interface FeatureValue {
  FeatureName: string;
  ValueAsString?: string;
}

export interface StoredRecord {
  record: FeatureValue[];
  /** Event time of the record in ms (ordering: the online store keeps the newest). */
  eventTimeMs: number;
  /** ms since the epoch; undefined: the record never expires. */
  expiresAtMs?: number;
}

type JournalEntry = { op: 'put'; group: string; id: string; stored: StoredRecord } | { op: 'delete'; group: string; id: string; eventTimeMs: number };

export const validationError = (message: string) => new AwsApiError('ValidationError', message);
export const notFound = (message: string) => new AwsApiError('ResourceNotFound', message, 404);

/**
 * Feature Store accepts an event time as ISO-8601 (`yyyy-MM-dd'T'HH:mm:ss[.SSS]Z`) or as fractional
 * epoch seconds. https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-quotas.html#feature-store-data-types
 */
export function parseEventTime(value: string | undefined, feature: string): number {
  if (value === undefined || value === '') throw validationError(`The event time feature ${feature} is required`);
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw validationError(`Invalid value "${value}" for event time feature ${feature}: expected yyyy-MM-ddTHH:mm:ss[.SSS]Z or epoch seconds`);
}

/**
 * The records of the local Feature Store: the online store (newest record per identifier, in
 * memory, journalled to `<dataDir>/featurestore/online.jsonl` and replayed at start, so data
 * survives a restart) and the offline store (every accepted PutRecord/DeleteRecord appended as a
 * JSON line under the lake's `features/<table>/dt=<event date>/`, with `write_time` and
 * `is_deleted` as SageMaker's offline store adds them).
 */
export class FeatureRecords {
  private readonly online = new Map<string, Map<string, StoredRecord>>();
  private readonly journal?: string;
  /** One offline file per day and stack run: appends never rewrite an object another reader has open. */
  private readonly runId = `${Date.now()}-${process.pid}`;

  constructor(
    private readonly groups: readonly FeatureGroupDefinition[],
    private readonly lakeDir: string | undefined,
    dataDir: string | undefined,
  ) {
    for (const group of groups) this.online.set(group.name, new Map());
    if (dataDir) {
      const dir = join(dataDir, 'featurestore');
      mkdirSync(dir, { recursive: true });
      this.journal = join(dir, 'online.jsonl');
      if (existsSync(this.journal)) this.replay(readFileSync(this.journal, 'utf8'));
    }
  }

  group(name: string): FeatureGroupDefinition {
    const group = this.groups.find((g) => g.name === name);
    if (!group) throw notFound(`Resource Not Found: Amazon SageMaker can't find a feature group with name ${name}`);
    return group;
  }

  get(group: FeatureGroupDefinition, id: string, nowMs: number): StoredRecord | undefined {
    const stored = this.online.get(group.name)?.get(id);
    if (!stored || (stored.expiresAtMs !== undefined && stored.expiresAtMs <= nowMs)) return undefined;
    return stored;
  }

  /** Online: kept when its event time is not older than the stored one. Offline: always appended. */
  put(group: FeatureGroupDefinition, id: string, stored: StoredRecord, toOnline: boolean, toOffline: boolean): void {
    if (toOnline) {
      const current = this.online.get(group.name)!.get(id);
      if (!current || current.eventTimeMs <= stored.eventTimeMs) {
        this.online.get(group.name)!.set(id, stored);
        this.append({ op: 'put', group: group.name, id, stored });
      }
    }
    if (toOffline) this.appendOffline(group, stored.record, stored.eventTimeMs, false);
  }

  /** Deletes only a record whose event time is not newer than the delete's (like Feature Store). */
  delete(group: FeatureGroupDefinition, id: string, eventTimeMs: number, toOnline: boolean, toOffline: boolean): void {
    if (toOnline) {
      const current = this.online.get(group.name)!.get(id);
      if (current && current.eventTimeMs <= eventTimeMs) {
        this.online.get(group.name)!.delete(id);
        this.append({ op: 'delete', group: group.name, id, eventTimeMs });
      }
    }
    if (toOffline) {
      const marker: FeatureValue[] = [
        { FeatureName: group.recordIdentifierFeatureName, ValueAsString: id },
        { FeatureName: group.eventTimeFeatureName, ValueAsString: new Date(eventTimeMs).toISOString() },
      ];
      this.appendOffline(group, marker, eventTimeMs, true);
    }
  }

  private append(entry: JournalEntry): void {
    if (this.journal) appendFileSync(this.journal, `${JSON.stringify(entry)}\n`);
  }

  private replay(text: string): void {
    for (const line of text.split('\n')) {
      if (!line) continue;
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        continue; // a torn last line after a crash: the record was never acknowledged
      }
      const records = this.online.get(entry.group);
      if (!records) continue;
      if (entry.op === 'put') records.set(entry.id, entry.stored);
      else records.delete(entry.id);
    }
  }

  /** The offline row: typed columns of the offline table (lake-schema.ts), missing features null. */
  private appendOffline(group: FeatureGroupDefinition, record: FeatureValue[], eventTimeMs: number, deleted: boolean): void {
    if (!this.lakeDir) return;
    const table = offlineFeatureTable(group);
    const values = new Map(record.map((v) => [v.FeatureName, v.ValueAsString]));
    const row: Record<string, unknown> = {};
    for (const feature of group.features) {
      const raw = values.get(feature.name);
      if (feature.name === group.eventTimeFeatureName) row[feature.name] = new Date(eventTimeMs).toISOString();
      else if (raw === undefined) row[feature.name] = null;
      else row[feature.name] = feature.type === 'String' ? raw : Number(raw);
    }
    row.write_time = new Date().toISOString();
    row.is_deleted = deleted;
    const dt = new Date(eventTimeMs).toISOString().slice(0, 10);
    const dir = join(this.lakeDir, tablePrefix(table), `dt=${dt}`);
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, `records-${this.runId}.json`), `${JSON.stringify(row)}\n`);
  }
}
