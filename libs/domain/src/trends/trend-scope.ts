import { InvalidArgumentError } from '../errors';

/** Row filter of the caller (Lake Formation's data-cells filter, in the API). */
export interface TrendScope {
  /** Only readings of these plants; undefined = every plant. */
  plantIds?: readonly string[];
}

const DURATION = /^(\d{1,6})(s|m|h|d)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** `90s`, `15m`, `1h`, `7d` → seconds (trend `last` and `bucket` arguments). */
export function parseDuration(argument: string, text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new InvalidArgumentError(argument, `"${text}" is not a duration such as 90s, 15m, 1h or 7d`);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  if (seconds <= 0) throw new InvalidArgumentError(argument, 'must be greater than 0');
  return seconds;
}
