/**
 * InfluxDB line protocol, the write format of InfluxDB 2 (`POST /api/v2/write`):
 * `measurement,tag=v,tag=v field=1.5,count=3i,label="text",ok=true 1700000000000`.
 * https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/
 */
export type FieldValue = { type: 'float'; value: number } | { type: 'integer'; value: number } | { type: 'string'; value: string } | { type: 'boolean'; value: boolean };

export interface LinePoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, FieldValue>;
  timeMs: number;
}

const PRECISION_MS = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000 } as const;
export type Precision = keyof typeof PRECISION_MS;

export class LineProtocolError extends Error {}

/** Splits on `separator` outside double quotes, honouring backslash escapes. */
function split(text: string, separator: string, quotes: boolean): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (quotes && ch === '"') quoted = !quoted;
    if (ch === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string) => text.replace(/\\([,= "\\])/g, '$1');

function fieldValue(raw: string): FieldValue {
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) return { type: 'string', value: raw.slice(1, -1).replace(/\\(["\\])/g, '$1') };
  if (/^[tT](rue)?$|^TRUE$/.test(raw)) return { type: 'boolean', value: true };
  if (/^[fF](alse)?$|^FALSE$/.test(raw)) return { type: 'boolean', value: false };
  if (/^-?\d+i$/.test(raw)) return { type: 'integer', value: Number(raw.slice(0, -1)) };
  const number = Number(raw);
  if (raw !== '' && Number.isFinite(number)) return { type: 'float', value: number };
  throw new LineProtocolError(`invalid field value ${raw}`);
}

/** One line → a point; throws LineProtocolError naming what is wrong. */
export function parseLine(line: string, precision: Precision, nowMs: number): LinePoint {
  const [head, fieldText, timeText, ...rest] = split(line, ' ', true);
  if (!head || fieldText === undefined || rest.length) throw new LineProtocolError(`unable to parse '${line}': expected measurement[,tags] fields [timestamp]`);
  const [measurement, ...tagParts] = split(head, ',', false);
  const tags: Record<string, string> = {};
  for (const tag of tagParts) {
    const [key, value, extra] = split(tag, '=', false);
    if (!key || !value || extra !== undefined) throw new LineProtocolError(`unable to parse '${line}': invalid tag ${tag}`);
    tags[unescape(key)] = unescape(value);
  }
  const fields: Record<string, FieldValue> = {};
  for (const field of split(fieldText, ',', true)) {
    const at = field.search(/(?<!\\)=/);
    if (at <= 0) throw new LineProtocolError(`unable to parse '${line}': invalid field ${field}`);
    fields[unescape(field.slice(0, at))] = fieldValue(field.slice(at + 1));
  }
  const timeMs = timeText === undefined || timeText === '' ? nowMs : Number(timeText) * PRECISION_MS[precision];
  if (!Number.isFinite(timeMs)) throw new LineProtocolError(`unable to parse '${line}': bad timestamp`);
  return { measurement: unescape(measurement), tags, fields, timeMs: Math.floor(timeMs) };
}
