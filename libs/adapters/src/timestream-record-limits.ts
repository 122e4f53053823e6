import type { _Record } from '@aws-sdk/client-timestream-write';
import { AwsLimits } from '@plant/config';

const limits = AwsLimits.timestream;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Why Timestream would refuse this record for good, or undefined: the per-record limits of
 * AwsLimits.timestream, checked before sending so that such a record becomes a dead letter with a
 * precise reason instead of depending on the service's (or the local stack's) answer. The contract
 * allows names of 128 characters, up to 384 UTF-8 bytes for '€': within the contract, over
 * Timestream's 256-byte measure name (and a measurement with every string at its maximum is over
 * the 2 KB record).
 *
 * `acceptedFromMs`: the oldest time the table takes (memory store retention, or magnetic store
 * retention when magnetic writes are on); `nowMs` + 15 min is the newest.
 */
export function timestreamRecordViolation(record: _Record, nowMs: number, acceptedFromMs: number): string | undefined {
  const dimensions = record.Dimensions ?? [];
  const measureName = record.MeasureName ?? '';
  const values = record.MeasureValues ?? [];
  for (const d of dimensions) {
    if (bytes(d.Name ?? '') > limits.dimensionNameMaxBytes) return `dimension name ${d.Name} is over ${limits.dimensionNameMaxBytes} bytes`;
  }
  const dimensionBytes = dimensions.reduce((sum, d) => sum + bytes(d.Name ?? '') + bytes(d.Value ?? ''), 0);
  if (dimensionBytes > limits.dimensionPairsMaxBytes) return `dimensions take ${dimensionBytes} bytes, Timestream takes at most ${limits.dimensionPairsMaxBytes} per series`;
  if (bytes(measureName) > limits.measureNameMaxBytes) return `measure name takes ${bytes(measureName)} bytes, Timestream takes at most ${limits.measureNameMaxBytes}`;
  if (values.length > limits.measuresPerRecordMax) return `${values.length} measures, Timestream takes at most ${limits.measuresPerRecordMax} per record`;
  for (const v of values) {
    if ((v.Value ?? '').length > limits.measureValueMaxLength) return `measure ${v.Name} has a value of ${(v.Value ?? '').length} characters, at most ${limits.measureValueMaxLength}`;
  }
  // Write size as Timestream meters it: timestamp 8 bytes, names and strings their UTF-8 bytes, BIGINT/DOUBLE 8 bytes.
  const valueBytes = values.reduce((sum, v) => sum + bytes(v.Name ?? '') + (v.Type === 'VARCHAR' ? bytes(v.Value ?? '') : 8), 0);
  const size = 8 + dimensionBytes + bytes(measureName) + valueBytes;
  if (size > limits.recordMaxBytes) return `record takes ${size} bytes, Timestream takes at most ${limits.recordMaxBytes}`;
  const timeMs = Number(record.Time);
  if (!Number.isFinite(timeMs)) return `time ${record.Time} is not a number of milliseconds`;
  if (timeMs > nowMs + limits.futureIngestionMs) return `time ${iso(timeMs)} is more than 15 min ahead of the writer's clock`;
  if (timeMs < acceptedFromMs) return `time ${iso(timeMs)} is older than the table's retention allows (${iso(acceptedFromMs)})`;
  return undefined;
}

const iso = (ms: number) => (Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`);
