/**
 * EventBridge event patterns: validation and matching, pure.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *
 * A pattern mirrors the event's structure; every leaf is an array of matchers and matches when any
 * of them does (OR); sibling fields must all match (AND). When the event holds an array, the
 * pattern matches if any element does. Supported matchers: exact strings, numbers, booleans and
 * null; `prefix`, `suffix`, `equals-ignore-case`, `wildcard`; `anything-but` (a value, a list,
 * or `{prefix}`/`{suffix}`); `numeric` ranges; `exists`; and `$or`.
 */

export class InvalidPatternError extends Error {}

export type EventPattern = { [field: string]: unknown };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NUMERIC_OPS = ['=', '<', '<=', '>', '>='];

/** Parses and validates an EventPattern string; throws InvalidPatternError with the reason. */
export function parseEventPattern(text: string): EventPattern {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch {
    throw new InvalidPatternError('Filter is not an object');
  }
  if (!isObject(pattern)) throw new InvalidPatternError('Filter is not an object');
  validateObject(pattern, '');
  return pattern;
}

function validateObject(pattern: Record<string, unknown>, path: string): void {
  if (Object.keys(pattern).length === 0) throw new InvalidPatternError(`Empty objects are not allowed${path ? ` at ${path}` : ''}`);
  for (const [field, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${field}` : field;
    if (field === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) throw new InvalidPatternError('$or must be an array of at least two objects');
      value.forEach((alternative) => validateObject(alternative, path));
    } else if (isObject(value)) validateObject(value, at);
    else if (Array.isArray(value)) value.forEach((matcher) => validateMatcher(matcher, at));
    else throw new InvalidPatternError(`Match value must be String, number, true, false, or null at ${at}`);
  }
}

function validateMatcher(matcher: unknown, at: string): void {
  if (!isObject(matcher)) {
    if (Array.isArray(matcher)) throw new InvalidPatternError(`Match value must be String, number, true, false, or null at ${at}`);
    return;
  }
  const keys = Object.keys(matcher);
  if (keys.length !== 1) throw new InvalidPatternError(`A match object must have exactly one key at ${at}`);
  const [op] = keys;
  const arg = matcher[op];
  const stringOrIgnoreCase = (v: unknown) => typeof v === 'string' || (isObject(v) && typeof v['equals-ignore-case'] === 'string');
  switch (op) {
    case 'prefix':
    case 'suffix':
      if (!stringOrIgnoreCase(arg)) throw new InvalidPatternError(`${op} match pattern must be a string at ${at}`);
      return;
    case 'equals-ignore-case':
    case 'wildcard':
      if (typeof arg !== 'string') throw new InvalidPatternError(`${op} match pattern must be a string at ${at}`);
      return;
    case 'exists':
      if (typeof arg !== 'boolean') throw new InvalidPatternError(`exists match pattern must be either true or false at ${at}`);
      return;
    case 'anything-but':
      if (isObject(arg)) {
        const [inner] = Object.keys(arg);
        if (Object.keys(arg).length !== 1 || !['prefix', 'suffix'].includes(inner) || typeof arg[inner] !== 'string') {
          throw new InvalidPatternError(`anything-but only accepts a value, a list of values, prefix or suffix at ${at}`);
        }
      } else if (Array.isArray(arg) ? !arg.every((v) => typeof v === 'string' || typeof v === 'number') : typeof arg !== 'string' && typeof arg !== 'number') {
        throw new InvalidPatternError(`Inside anything but list, start|null|boolean is not supported at ${at}`);
      }
      return;
    case 'numeric':
      validateNumeric(arg, at);
      return;
    default:
      throw new InvalidPatternError(`Unrecognized match type ${op} at ${at}`);
  }
}

function validateNumeric(arg: unknown, at: string): void {
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) throw new InvalidPatternError(`Bad numeric range at ${at}`);
  for (let i = 0; i < arg.length; i += 2) {
    if (!NUMERIC_OPS.includes(arg[i] as string) || typeof arg[i + 1] !== 'number') throw new InvalidPatternError(`Bad numeric range at ${at}`);
  }
  if (arg.length === 4 && (String(arg[0]).startsWith('<') || String(arg[2]).startsWith('>') || arg[0] === '=')) {
    throw new InvalidPatternError(`Bad numeric range at ${at}: give the lower bound first`);
  }
}

/** True when the event matches the (validated) pattern. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([field, value]) => {
    if (field === '$or') return (value as EventPattern[]).some((alternative) => matchesPattern(alternative, event));
    const present = isObject(event) && Object.prototype.hasOwnProperty.call(event, field);
    const actual = present ? (event as Record<string, unknown>)[field] : undefined;
    if (isObject(value)) {
      const candidates = Array.isArray(actual) ? actual : [actual];
      return candidates.some((c) => isObject(c) && matchesPattern(value, c));
    }
    return (value as unknown[]).some((matcher) => matchesLeaf(matcher, present, actual as Json));
  });
}

function matchesLeaf(matcher: unknown, present: boolean, actual: Json): boolean {
  if (isObject(matcher) && 'exists' in matcher) {
    // exists applies to leaf values only: an object or an empty array does not count as present.
    const isLeaf = present && !isObject(actual) && !(Array.isArray(actual) && actual.length === 0);
    return matcher.exists === isLeaf;
  }
  if (!present) return false;
  const values: Json[] = Array.isArray(actual) ? actual : [actual];
  return values.some((v) => matchesValue(matcher, v));
}

function matchesValue(matcher: unknown, value: Json): boolean {
  if (!isObject(matcher)) return value === matcher;
  const [op] = Object.keys(matcher);
  const arg = matcher[op];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && affix(arg, value, (v, a) => v.startsWith(a));
    case 'suffix':
      return typeof value === 'string' && affix(arg, value, (v, a) => v.endsWith(a));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(arg).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcardRegExp(String(arg)).test(value);
    case 'numeric':
      return typeof value === 'number' && numericMatch(arg as Array<string | number>, value);
    case 'anything-but':
      return anythingBut(arg, value);
    default:
      return false;
  }
}

function affix(arg: unknown, value: string, test: (value: string, arg: string) => boolean): boolean {
  if (typeof arg === 'string') return test(value, arg);
  return test(value.toLowerCase(), String((arg as Record<string, unknown>)['equals-ignore-case']).toLowerCase());
}

function anythingBut(arg: unknown, value: Json): boolean {
  if (isObject(arg)) {
    if (typeof value !== 'string') return false;
    return 'prefix' in arg ? !value.startsWith(String(arg.prefix)) : !value.endsWith(String(arg.suffix));
  }
  const excluded = Array.isArray(arg) ? arg : [arg];
  return (typeof value === 'string' || typeof value === 'number') && !excluded.includes(value);
}

function numericMatch(range: Array<string | number>, value: number): boolean {
  for (let i = 0; i < range.length; i += 2) {
    const bound = range[i + 1] as number;
    const ok = { '=': value === bound, '<': value < bound, '<=': value <= bound, '>': value > bound, '>=': value >= bound }[range[i] as string];
    if (!ok) return false;
  }
  return true;
}

function wildcardRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}
