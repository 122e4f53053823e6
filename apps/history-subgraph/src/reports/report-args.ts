import { InvalidArgumentError } from '@plant/domain';

/** Bounds of the report arguments; each refusal is BAD_USER_INPUT naming the limit. */
export const REPORT_LIMITS = {
  /** dailyKpis, downtimePareto: production days in one range (the kpi day items hold 400 days too). */
  maxDays: 400,
  /** rawEvents: an audit window. */
  maxRawEventDays: 31,
  maxFirst: 500,
  defaultFirst: 100,
} as const;

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A production day, yyyy-MM-dd (the date of its 06:00 UTC start). */
export function validDay(argument: string, value: string): number {
  const ms = DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw new InvalidArgumentError(argument, `must be a date yyyy-MM-dd, got ${JSON.stringify(value)}`);
  return ms;
}

export function validDayRange(from: string, to: string): void {
  const start = validDay('from', from);
  const end = validDay('to', to);
  if (end < start) throw new InvalidArgumentError('to', 'must not be before from');
  const days = (end - start) / DAY_MS + 1;
  if (days > REPORT_LIMITS.maxDays) throw new InvalidArgumentError('to', `the range holds ${days} days; at most ${REPORT_LIMITS.maxDays} are allowed`);
}

/** ISO-8601 instants, from inclusive and to exclusive, at most 31 days apart; returned normalised (UTC, ms). */
export function validInstantRange(from: string, to: string): { from: string; to: string } {
  const parse = (argument: string, value: string) => {
    const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw new InvalidArgumentError(argument, `must be an ISO-8601 time such as 2026-06-01T06:00:00Z, got ${JSON.stringify(value)}`);
    return ms;
  };
  const start = parse('from', from);
  const end = parse('to', to);
  if (end <= start) throw new InvalidArgumentError('to', 'must be after from');
  if (end - start > REPORT_LIMITS.maxRawEventDays * DAY_MS) throw new InvalidArgumentError('to', `the range is longer than ${REPORT_LIMITS.maxRawEventDays} days`);
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

export function validFirst(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > REPORT_LIMITS.maxFirst) throw new InvalidArgumentError('first', `must be between 1 and ${REPORT_LIMITS.maxFirst}`);
}

/** Keyset cursor: the last event's (eventTime, eventId), opaque to clients. */
export function encodeCursor(position: { eventTime: string; eventId: string }): string {
  return Buffer.from(JSON.stringify([position.eventTime, position.eventId])).toString('base64url');
}

export function decodeCursor(cursor: string): { eventTime: string; eventId: string } {
  try {
    if (cursor.length > 400) throw new Error('too long');
    const [eventTime, eventId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof eventTime === 'string' && typeof eventId === 'string' && !Number.isNaN(Date.parse(eventTime)) && eventId.length <= 200) return { eventTime, eventId };
  } catch {
    // fall through
  }
  throw new InvalidArgumentError('after', 'is not a cursor of this connection');
}
