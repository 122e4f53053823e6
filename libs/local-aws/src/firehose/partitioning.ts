/**
 * Pure parts of Firehose dynamic partitioning: the jq subset of a `MetadataExtractionQuery` and the
 * S3 prefix expressions (`!{partitionKeyFromQuery:…}`, `!{timestamp:…}`, `!{firehose:…}`).
 * https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
 * https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
 *
 * Supported jq: `{key: .path.to.field, other: .field[0:10] | tostring}` — an object of paths, each
 * with an optional string slice and the pipe functions `tostring`, `ascii_downcase`,
 * `fromdateiso8601` (jq 1.6: only `YYYY-MM-DDTHH:MM:SSZ`) and `strftime("%Y-%m-%d %H")`.
 */

export class PartitioningError extends Error {}

type Step = (value: unknown) => unknown;
export type MetadataExtractor = (record: unknown) => Record<string, string>;

/** Compiles a MetadataExtractionQuery; throws PartitioningError when it is outside the subset. */
export function compileMetadataQuery(query: string): MetadataExtractor {
  const body = /^\s*\{([\s\S]*)\}\s*$/.exec(query)?.[1];
  if (body === undefined) throw new PartitioningError(`MetadataExtractionQuery must be a jq object such as {key: .field}, got ${query}`);
  const fields = splitTopLevel(body).map((entry) => {
    const m = /^\s*("?)([A-Za-z_][\w-]*)\1\s*:\s*([\s\S]+?)\s*$/.exec(entry);
    if (!m) throw new PartitioningError(`cannot read the jq entry "${entry.trim()}"`);
    return { key: m[2], steps: compileExpression(m[3]) };
  });
  return (record) => {
    const keys: Record<string, string> = {};
    for (const { key, steps } of fields) {
      const value = steps.reduce<unknown>((v, step) => step(v), record);
      if (value === null || value === undefined || typeof value === 'object') {
        throw new PartitioningError(`partition key ${key} is ${value === undefined || value === null ? 'null' : 'not a scalar'}`);
      }
      keys[key] = String(value);
    }
    return keys;
  };
}

function compileExpression(expression: string): Step[] {
  const [path, ...pipes] = expression.split('|').map((p) => p.trim());
  return [compilePath(path), ...pipes.map(compilePipe)];
}

function compilePath(path: string): Step {
  const m = /^((?:\.[A-Za-z_][\w]*)+|\.)(?:\[(\d*):(\d*)\])?$/.exec(path);
  if (!m) throw new PartitioningError(`unsupported jq path "${path}"`);
  const names = m[1] === '.' ? [] : m[1].slice(1).split('.');
  const slice = m[2] !== undefined || m[3] !== undefined ? [m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined] : undefined;
  return (value) => {
    let v = value;
    for (const name of names) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[name] : undefined;
    if (slice && typeof v === 'string') return v.slice(slice[0], slice[1]);
    return slice && v !== undefined && v !== null ? undefined : v;
  };
}

function compilePipe(call: string): Step {
  if (call === 'tostring') return (v) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (call === 'ascii_downcase') return (v) => (typeof v === 'string' ? v.toLowerCase() : fail('ascii_downcase needs a string'));
  if (call === 'fromdateiso8601') {
    return (v) => {
      if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v)) fail(`date "${String(v)}" does not match format "%Y-%m-%dT%H:%M:%SZ"`);
      return Date.parse(v as string) / 1000;
    };
  }
  const strftime = /^strftime\("([^"]*)"\)$/.exec(call);
  if (strftime) {
    return (v) => (typeof v === 'number' ? formatStrftime(new Date(v * 1000), strftime[1]) : fail('strftime needs a number of seconds'));
  }
  throw new PartitioningError(`unsupported jq function "${call}"`);
}

function fail(message: string): never {
  throw new PartitioningError(message);
}

/** Splits `a: x, b: y` at commas that are not inside brackets, parentheses or strings. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && '([{'.includes(ch)) depth++;
    else if (!quoted && ')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0 && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts;
}

const pad = (n: number) => String(n).padStart(2, '0');

function formatStrftime(d: Date, format: string): string {
  const parts: Record<string, string> = {
    Y: String(d.getUTCFullYear()),
    m: pad(d.getUTCMonth() + 1),
    d: pad(d.getUTCDate()),
    H: pad(d.getUTCHours()),
    M: pad(d.getUTCMinutes()),
    S: pad(d.getUTCSeconds()),
    '%': '%',
  };
  return format.replace(/%(.)/g, (all, c: string) => parts[c] ?? all);
}

/** Java DateTimeFormatter letters Firehose's `!{timestamp:…}` accepts that we support, in UTC. */
function formatJavaTimestamp(d: Date, format: string): string {
  return format.replace(/yyyy|MM|dd|HH|mm|ss/g, (token) =>
    token === 'yyyy'
      ? String(d.getUTCFullYear())
      : pad({ MM: d.getUTCMonth() + 1, dd: d.getUTCDate(), HH: d.getUTCHours(), mm: d.getUTCMinutes(), ss: d.getUTCSeconds() }[token]!),
  );
}

export interface PrefixContext {
  arrival: Date;
  partitionKeys?: Record<string, string>;
  errorOutputType?: string;
}

const EXPRESSION = /!\{([A-Za-z]+):([^}]*)\}/g;
const NAMESPACES = ['partitionKeyFromQuery', 'timestamp', 'firehose'];

/** Throws PartitioningError when a prefix uses a namespace this endpoint does not evaluate. */
export function validatePrefix(prefix: string): void {
  for (const [, namespace, arg] of prefix.matchAll(EXPRESSION)) {
    if (!NAMESPACES.includes(namespace)) throw new PartitioningError(`prefix namespace ${namespace} is not supported locally`);
    if (namespace === 'firehose' && !['error-output-type', 'random-string'].includes(arg)) {
      throw new PartitioningError(`!{firehose:${arg}} is not a Firehose prefix expression`);
    }
  }
}

/** Evaluates the expressions of an S3 prefix. */
export function renderPrefix(prefix: string, ctx: PrefixContext): string {
  return prefix.replace(EXPRESSION, (_all, namespace: string, arg: string) => {
    switch (namespace) {
      case 'partitionKeyFromQuery': {
        const value = ctx.partitionKeys?.[arg];
        if (value === undefined) throw new PartitioningError(`partition key ${arg} was not extracted`);
        return value;
      }
      case 'timestamp':
        return formatJavaTimestamp(ctx.arrival, arg);
      default:
        return arg === 'error-output-type' ? (ctx.errorOutputType ?? '') : Math.random().toString(36).slice(2, 13);
    }
  });
}
