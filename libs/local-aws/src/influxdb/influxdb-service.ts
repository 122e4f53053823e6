import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceRoute } from '../local-aws-stack';
import { FieldValue, LinePoint, LineProtocolError, parseLine, Precision } from './line-protocol';

/**
 * The HTTP API of Amazon Timestream for InfluxDB (InfluxDB 2) as far as the trend adapters use it:
 * `POST /api/v2/write` (line protocol) and the v1-compatible `GET|POST /query` for the two InfluxQL
 * shapes the trend queries send (`trendInfluxQl` and `trendSamplesInfluxQl` in @plant/adapters). Points live in memory: a point
 * with the same measurement, tag set and time overwrites its fields, as in InfluxDB; a field whose
 * type differs from the one stored is refused with InfluxDB's "partial write" 400. Anything the
 * real API would answer and this one does not know is a 400 naming what is unsupported.
 */

export interface InfluxDbRouteOptions {
  /** Buckets that exist from the start (`plant`/`telemetry` for the platform). */
  buckets: string[];
}

type Point = LinePoint;
interface Bucket {
  points: Map<string, Point>;
  fieldTypes: Map<string, FieldValue['type']>;
}

const TREND_QUERY =
  /^SELECT mean\("value"\) AS "avg", min\("value"\) AS "min", max\("value"\) AS "max", count\("value"\) AS "count", last\("unit"\) AS "unit" FROM "((?:[^"\\]|\\.)+)" WHERE "asset" =~ \/\^\(\?:(.*?)\)\$\/(?: AND "plant" =~ \/\^\(\?:(.*?)\)\$\/)? AND time > now\(\) - (\d+)s GROUP BY time\((\d+)s\), "asset" fill\(none\)$/;

/** Raw samples of a measure for a set of assets, lines or plants in an absolute range (`trendSamplesInfluxQl`). */
const SAMPLES_QUERY =
  /^SELECT "value", "quality", "unit", "asset", "line", "plant" FROM "((?:[^"\\]|\\.)+)" WHERE "(asset|line|plant)" =~ \/\^\(\?:(.*?)\)\$\/(?: AND "plant" =~ \/\^\(\?:(.*?)\)\$\/)? AND time >= (-?\d+)ms AND time < (-?\d+)ms$/;

export function influxDbRoutes(options: InfluxDbRouteOptions): { write: ServiceRoute; query: ServiceRoute } {
  const buckets = new Map<string, Bucket>(options.buckets.map((name) => [name, { points: new Map(), fieldTypes: new Map() }]));

  const send = (res: ServerResponse, status: number, payload?: unknown) => {
    if (payload === undefined) {
      res.writeHead(status).end();
      return;
    }
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
  };
  const authorized = (req: IncomingMessage) => /^Token \S+$/.test(String(req.headers.authorization ?? ''));

  const write: ServiceRoute = {
    name: 'influxdb-write',
    pathPrefix: '/api/v2/write',
    handler: (req, res, body) => {
      if (!authorized(req)) return send(res, 401, { code: 'unauthorized', message: 'unauthorized access' });
      const params = new URL(req.url ?? '/', 'http://local').searchParams;
      const name = params.get('bucket') ?? '';
      const bucket = buckets.get(name);
      if (!bucket) return send(res, 404, { code: 'not found', message: `bucket "${name}" not found` });
      const precision = (params.get('precision') ?? 'ns') as Precision;
      if (!['ns', 'us', 'ms', 's'].includes(precision)) return send(res, 400, { code: 'invalid', message: `invalid precision ${precision}` });
      const errors: string[] = [];
      const nowMs = Date.now();
      for (const line of body.toString('utf8').split('\n')) {
        if (!line.trim() || line.startsWith('#')) continue;
        try {
          store(bucket, parseLine(line, precision, nowMs));
        } catch (err) {
          if (!(err instanceof LineProtocolError)) throw err;
          errors.push(err.message);
        }
      }
      if (errors.length) return send(res, 400, { code: 'invalid', message: `partial write: ${errors[0]} dropped=${errors.length}` });
      send(res, 204);
    },
  };

  const query: ServiceRoute = {
    name: 'influxdb-query',
    pathPrefix: '/query',
    handler: (req, res, body) => {
      if (!authorized(req)) return send(res, 401, { error: 'unable to parse authentication credentials' });
      const params = new URL(req.url ?? '/', 'http://local').searchParams;
      const form = new URLSearchParams(req.method === 'POST' ? body.toString('utf8') : '');
      const db = params.get('db') ?? form.get('db') ?? '';
      const q = (params.get('q') ?? form.get('q') ?? '').trim();
      const bucket = buckets.get(db);
      if (!bucket) return send(res, 404, { error: `database not found: ${db}` });
      const epochMs = (params.get('epoch') ?? form.get('epoch')) === 'ms';
      const alternatives = (regex: string) => new Set(regex.split(/(?<!\\)\|/).map((a) => a.replace(/\\(.)/g, '$1')));
      const samples = SAMPLES_QUERY.exec(q);
      if (samples) {
        const [, measurement, tag, subjectAlternatives, plantAlternatives, fromMs, toMs] = samples;
        const plants = plantAlternatives === undefined ? undefined : alternatives(plantAlternatives);
        const values = sampleRows(bucket, measurement.replace(/\\(.)/g, '$1'), tag, alternatives(subjectAlternatives), plants, Number(fromMs), Number(toMs));
        const columns = ['time', 'value', 'quality', 'unit', 'asset', 'line', 'plant'];
        const series = values.length ? [{ name: measurement, columns, values: values.map(([t, ...rest]) => [epochMs ? t : new Date(t as number).toISOString(), ...rest]) }] : [];
        return send(res, 200, { results: [{ statement_id: 0, ...(series.length ? { series } : {}) }] });
      }
      const match = TREND_QUERY.exec(q);
      if (!match) return send(res, 400, { error: `error parsing query: the local InfluxDB endpoint serves only the trend query shapes, got: ${q.slice(0, 200)}` });
      const [, measurement, assetAlternatives, plantAlternatives, lastSeconds, bucketSeconds] = match;
      const plants = plantAlternatives === undefined ? undefined : alternatives(plantAlternatives);
      const series = trendSeries(bucket, measurement.replace(/\\(.)/g, '$1'), alternatives(assetAlternatives), plants, Date.now() - Number(lastSeconds) * 1000, Number(bucketSeconds) * 1000);
      send(res, 200, {
        results: [
          {
            statement_id: 0,
            ...(series.length
              ? { series: series.map((s) => ({ ...s, values: s.values.map(([t, ...rest]) => [epochMs ? t : new Date(t as number).toISOString(), ...rest]) })) }
              : {}),
          },
        ],
      });
    },
  };
  return { write, query };
}

function store(bucket: Bucket, point: Point): void {
  for (const [field, value] of Object.entries(point.fields)) {
    const key = `${point.measurement}\0${field}`;
    const existing = bucket.fieldTypes.get(key);
    if (existing && existing !== value.type) {
      throw new LineProtocolError(`field type conflict: input field "${field}" on measurement "${point.measurement}" is type ${value.type}, already exists as type ${existing}`);
    }
  }
  for (const [field, value] of Object.entries(point.fields)) bucket.fieldTypes.set(`${point.measurement}\0${field}`, value.type);
  const tagKey = Object.keys(point.tags).sort().map((k) => `${k}=${point.tags[k]}`).join(',');
  const key = `${point.measurement}\0${tagKey}\0${point.timeMs}`;
  const stored = bucket.points.get(key);
  // Same series and time: the fields are merged, new values win (InfluxDB's overwrite semantics).
  bucket.points.set(key, stored ? { ...stored, fields: { ...stored.fields, ...point.fields } } : point);
}

function trendSeries(bucket: Bucket, measurement: string, assets: Set<string>, plants: Set<string> | undefined, fromMs: number, bucketMs: number) {
  const nowMs = Date.now();
  const groups = new Map<string, Map<number, { sum: number; min: number; max: number; count: number; unit: string | null; unitTime: number }>>();
  for (const point of bucket.points.values()) {
    const asset = point.tags.asset;
    if (point.measurement !== measurement || asset === undefined || !assets.has(asset) || point.timeMs <= fromMs || point.timeMs > nowMs) continue;
    if (plants && !plants.has(point.tags.plant ?? '')) continue;
    const value = point.fields.value;
    if (!value || (value.type !== 'float' && value.type !== 'integer')) continue;
    const start = Math.floor(point.timeMs / bucketMs) * bucketMs;
    const buckets = groups.get(asset) ?? new Map();
    groups.set(asset, buckets);
    const agg = buckets.get(start) ?? { sum: 0, min: Infinity, max: -Infinity, count: 0, unit: null, unitTime: -Infinity };
    agg.sum += value.value;
    agg.min = Math.min(agg.min, value.value);
    agg.max = Math.max(agg.max, value.value);
    agg.count += 1;
    const unit = point.fields.unit;
    if (unit?.type === 'string' && point.timeMs >= agg.unitTime) {
      agg.unit = unit.value;
      agg.unitTime = point.timeMs;
    }
    buckets.set(start, agg);
  }
  return [...groups.keys()].sort().map((asset) => ({
    name: measurement,
    tags: { asset },
    columns: ['time', 'avg', 'min', 'max', 'count', 'unit'],
    values: [...groups.get(asset)!.entries()]
      .sort(([a], [b]) => a - b)
      .map(([start, agg]) => [start, agg.sum / agg.count, agg.min, agg.max, agg.count, agg.unit] as (number | string | null)[]),
  }));
}

/** Rows of the samples query, oldest first: time, numeric value, quality, unit and the hierarchy tags. */
function sampleRows(bucket: Bucket, measurement: string, tag: string, subjects: Set<string>, plants: Set<string> | undefined, fromMs: number, toMs: number) {
  const rows: (number | string | null)[][] = [];
  for (const point of bucket.points.values()) {
    if (point.measurement !== measurement || !subjects.has(point.tags[tag] ?? '') || point.timeMs < fromMs || point.timeMs >= toMs) continue;
    if (plants && !plants.has(point.tags.plant ?? '')) continue;
    const value = point.fields.value;
    if (!value || (value.type !== 'float' && value.type !== 'integer')) continue;
    const text = (name: string) => (point.fields[name]?.type === 'string' ? (point.fields[name].value as string) : null);
    rows.push([point.timeMs, value.value, text('quality'), text('unit'), point.tags.asset ?? null, point.tags.line ?? null, point.tags.plant ?? null]);
  }
  return rows.sort((a, b) => (a[0] as number) - (b[0] as number));
}
