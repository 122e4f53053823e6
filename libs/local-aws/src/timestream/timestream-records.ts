import { AwsLimits } from '@plant/config';
import { AwsApiError } from '../aws-json-handler';

/**
 * Pure validation and normalisation of Timestream `WriteRecords` input: CommonAttributes merged into
 * each record, time converted to nanoseconds, measures turned into typed columns. The shapes follow
 * https://docs.aws.amazon.com/timestream/latest/developerguide/API_Record.html.
 */

/** WriteRecords accepts at most 100 records per call. */
export const MAX_RECORDS_PER_WRITE = AwsLimits.timestream.writeRecordsMaxRecords;

export type ScalarMeasureType = 'DOUBLE' | 'BIGINT' | 'VARCHAR' | 'BOOLEAN' | 'TIMESTAMP';
const SCALAR_TYPES: readonly ScalarMeasureType[] = ['DOUBLE', 'BIGINT', 'VARCHAR', 'BOOLEAN', 'TIMESTAMP'];

/** Column names Timestream reserves for itself; dimensions and measures may not use them. */
const RESERVED = /^(time|measure_name|measure_value(::.*)?|ts_.*|__.*)$/i;

/**
 * Per-record quotas (https://docs.aws.amazon.com/timestream/latest/developerguide/ts-limits.html),
 * the numbers of AwsLimits.timestream (libs/config) the adapters check too. A record over one is a
 * rejected record ("Records with dimensions or measures that exceed the Timestream defined limits",
 * API_RejectedRecord); the reason texts are ours.
 */
const TimestreamRecordLimits = {
  dimensionNameBytes: AwsLimits.timestream.dimensionNameMaxBytes,
  measureNameBytes: AwsLimits.timestream.measureNameMaxBytes,
  /** Dimension names and values of one series together. */
  seriesBytes: AwsLimits.timestream.dimensionPairsMaxBytes,
  recordBytes: AwsLimits.timestream.recordMaxBytes,
  varcharBytes: AwsLimits.timestream.measureValueMaxLength,
  measuresPerRecord: AwsLimits.timestream.measuresPerRecordMax,
} as const;

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

const NANOS_PER_UNIT: Record<string, bigint> = {
  SECONDS: 1_000_000_000n,
  MILLISECONDS: 1_000_000n,
  MICROSECONDS: 1_000n,
  NANOSECONDS: 1n,
};

export interface MeasureColumn {
  column: string;
  type: ScalarMeasureType;
  /** The value as a string DuckDB can cast to the column type (TIMESTAMP as epoch nanoseconds). */
  value: string;
}

export interface NormalizedRecord {
  index: number;
  dimensions: Array<[string, string]>;
  timeNs: bigint;
  measureName: string;
  version: bigint;
  measures: MeasureColumn[];
  /** Identity for upserts: same dimensions + time + measure name. */
  key: string;
  /** Canonical measure values: equal strings mean equal records. */
  values: string;
  /** Set when the record breaks a per-record quota: AWS rejects such a record, not the call. */
  overLimit?: string;
}

interface WireDimension {
  Name?: string;
  Value?: string;
  DimensionValueType?: string;
}
interface WireMeasureValue {
  Name?: string;
  Value?: string;
  Type?: string;
}
export interface WireRecord {
  Dimensions?: WireDimension[];
  MeasureName?: string;
  MeasureValue?: string;
  MeasureValueType?: string;
  MeasureValues?: WireMeasureValue[];
  Time?: string;
  TimeUnit?: string;
  Version?: number;
}

const invalid = (message: string) => new AwsApiError('ValidationException', message);

/** Merges CommonAttributes into every record and validates the result; throws ValidationException. */
export function normalizeRecords(records: unknown, common: unknown = {}): NormalizedRecord[] {
  if (!Array.isArray(records) || records.length === 0) throw invalid('Records must contain at least 1 record.');
  if (records.length > MAX_RECORDS_PER_WRITE) {
    throw invalid(
      `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORDS_PER_WRITE}`,
    );
  }
  const base = (common ?? {}) as Record<string, unknown>;
  if (!isObject(base)) throw invalid('CommonAttributes must be a Record structure.');
  checkShape('CommonAttributes', base);
  return records.map((record: unknown, index) => {
    if (!isObject(record)) throw invalid(`Record ${index} must be a Record structure.`);
    checkShape(`Record ${index}`, record);
    return normalizeRecord(index, { ...base, ...record, Dimensions: [...(base.Dimensions ?? []), ...(record.Dimensions ?? [])] });
  });
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Member types as the Timestream model declares them: a request whose members have the wrong JSON
 * type is a ValidationException (a client error), never a crash further down.
 */
function checkShape(at: string, r: Record<string, unknown>): asserts r is Record<string, unknown> & WireRecord {
  const wrong = (member: string, type: string) => invalid(`${at}: ${member} must be ${type}.`);
  for (const member of ['MeasureName', 'MeasureValue', 'MeasureValueType', 'Time', 'TimeUnit']) {
    if (r[member] !== undefined && r[member] !== null && typeof r[member] !== 'string') throw wrong(member, 'a string');
  }
  if (r.Version !== undefined && r.Version !== null && typeof r.Version !== 'number') throw wrong('Version', 'a number');
  for (const list of ['Dimensions', 'MeasureValues']) {
    const value = r[list];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) throw wrong(list, 'a list');
    for (const item of value as unknown[]) {
      if (!isObject(item)) throw wrong(`every member of ${list}`, 'a structure');
      for (const [k, v] of Object.entries(item)) if (v !== null && v !== undefined && typeof v !== 'string') throw wrong(`${list} member ${k}`, 'a string');
    }
  }
}

function normalizeRecord(index: number, r: WireRecord): NormalizedRecord {
  const at = `Record ${index}`;
  if (!r.MeasureName) throw invalid(`${at}: MeasureName is required.`);
  if (r.Time === undefined || !/^-?\d+$/.test(String(r.Time))) throw invalid(`${at}: Time must be a whole number in TimeUnit, got ${r.Time}.`);
  const unit = r.TimeUnit ?? 'MILLISECONDS';
  const factor = Object.hasOwn(NANOS_PER_UNIT, unit) ? NANOS_PER_UNIT[unit] : undefined;
  if (!factor) throw invalid(`${at}: TimeUnit must be one of ${Object.keys(NANOS_PER_UNIT).join(', ')}.`);
  const timeNs = BigInt(r.Time) * factor;

  const dimensions = new Map<string, string>();
  for (const d of r.Dimensions ?? []) {
    if (!d.Name || d.Value === undefined) throw invalid(`${at}: every dimension needs a Name and a Value.`);
    if (d.DimensionValueType && d.DimensionValueType !== 'VARCHAR') throw invalid(`${at}: DimensionValueType must be VARCHAR.`);
    if (RESERVED.test(d.Name)) throw invalid(`${at}: dimension name ${d.Name} is reserved.`);
    if (dimensions.has(d.Name)) throw invalid(`${at}: dimension ${d.Name} appears twice.`);
    dimensions.set(d.Name, d.Value);
  }

  const type = r.MeasureValueType ?? 'DOUBLE';
  let measures: MeasureColumn[];
  if (type === 'MULTI') {
    if (r.MeasureValue !== undefined) throw invalid(`${at}: MeasureValue must not be set when MeasureValueType is MULTI; use MeasureValues.`);
    if (!r.MeasureValues?.length) throw invalid(`${at}: MeasureValues must not be empty when MeasureValueType is MULTI.`);
    measures = r.MeasureValues.map((m) => {
      if (!m.Name) throw invalid(`${at}: every MeasureValue needs a Name.`);
      if (RESERVED.test(m.Name) || dimensions.has(m.Name)) throw invalid(`${at}: measure name ${m.Name} is reserved or used by a dimension.`);
      return { column: m.Name, type: scalarType(at, m.Type), value: measureValue(at, m.Name, m.Type as ScalarMeasureType, m.Value) };
    });
    if (new Set(measures.map((m) => m.column)).size !== measures.length) throw invalid(`${at}: a measure name appears twice in MeasureValues.`);
  } else {
    if (r.MeasureValues?.length) throw invalid(`${at}: MeasureValues is only allowed when MeasureValueType is MULTI.`);
    const scalar = scalarType(at, type);
    if (scalar === 'TIMESTAMP') throw invalid(`${at}: TIMESTAMP is only allowed inside MeasureValues of a MULTI record.`);
    measures = [{ column: `measure_value::${scalar.toLowerCase()}`, type: scalar, value: measureValue(at, r.MeasureName, scalar, r.MeasureValue) }];
  }

  const version = r.Version ?? 1;
  // Version is a Long: a number beyond INT64 (1e19) would not fit the store.
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw invalid(`${at}: Version must be a whole number between 0 and ${Number.MAX_SAFE_INTEGER}.`);
  }
  const sortedDims = [...dimensions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sortedMeasures = [...measures].sort((a, b) => (a.column < b.column ? -1 : 1));
  return {
    index,
    dimensions: sortedDims,
    timeNs,
    measureName: r.MeasureName,
    version: BigInt(version),
    measures,
    key: JSON.stringify([sortedDims, timeNs.toString(), r.MeasureName]),
    values: JSON.stringify(sortedMeasures.map((m) => [m.column, m.type, m.value])),
    overLimit: overLimit(sortedDims, r.MeasureName, type === 'MULTI' ? measures : [], measures),
  };
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function overLimit(dimensions: Array<[string, string]>, measureName: string, named: MeasureColumn[], measures: MeasureColumn[]): string | undefined {
  const L = TimestreamRecordLimits;
  const longName = dimensions.find(([name]) => bytes(name) > L.dimensionNameBytes);
  if (longName) return `Dimension name exceeds the limit of ${L.dimensionNameBytes} bytes.`;
  if ([measureName, ...named.map((m) => m.column)].some((name) => bytes(name) > L.measureNameBytes)) {
    return `Measure name exceeds the limit of ${L.measureNameBytes} bytes.`;
  }
  if (named.length > L.measuresPerRecord) return `The record has more than ${L.measuresPerRecord} measures.`;
  const series = dimensions.reduce((sum, [name, value]) => sum + bytes(name) + bytes(value), 0);
  if (series > L.seriesBytes) return `The dimension names and values of the record exceed the limit of ${L.seriesBytes} bytes per series.`;
  if (measures.some((m) => m.type === 'VARCHAR' && bytes(m.value) > L.varcharBytes)) return `A VARCHAR measure value exceeds the limit of ${L.varcharBytes} bytes.`;
  const size = series + bytes(measureName) + measures.reduce((sum, m) => sum + bytes(m.column) + bytes(m.value), 0);
  if (size > L.recordBytes) return `The record size exceeds the limit of ${L.recordBytes} bytes.`;
  return undefined;
}

function scalarType(at: string, type: string | undefined): ScalarMeasureType {
  if (!SCALAR_TYPES.includes(type as ScalarMeasureType)) {
    throw invalid(`${at}: measure type must be one of ${SCALAR_TYPES.join(', ')} or MULTI, got ${type}.`);
  }
  return type as ScalarMeasureType;
}

function measureValue(at: string, name: string, type: ScalarMeasureType, value: string | undefined): string {
  if (value === undefined) throw invalid(`${at}: measure ${name} has no value.`);
  const bad = () => invalid(`${at}: value ${JSON.stringify(value)} of measure ${name} is not a valid ${type}.`);
  switch (type) {
    case 'DOUBLE':
      if (value.trim() === '' || !Number.isFinite(Number(value))) throw bad();
      return String(Number(value));
    case 'BIGINT':
      if (!/^-?\d+$/.test(value) || BigInt(value) > INT64_MAX || BigInt(value) < INT64_MIN) throw bad();
      return BigInt(value).toString();
    case 'BOOLEAN':
      if (!/^(true|false)$/i.test(value)) throw bad();
      return value.toLowerCase();
    case 'TIMESTAMP':
      // TIMESTAMP measure values are epoch milliseconds, like the record time's default unit.
      // Stored as nanoseconds in an INT64, Timestream's TIMESTAMP range (1677-09-21 … 2262-04-11).
      if (!/^-?\d+$/.test(value) || BigInt(value) * 1_000_000n > INT64_MAX || BigInt(value) * 1_000_000n < INT64_MIN) throw bad();
      return (BigInt(value) * 1_000_000n).toString();
    case 'VARCHAR':
      return value;
  }
}
