import { InvalidArgumentError } from '@plant/domain';

/** Same bounds as the PlantEvent contract's ids; control characters never name a real entity. */
const MAX_ID_LENGTH = 128;
const hasControlCharacter = (value: string) => [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

export function checkId(argument: string, value: string): string {
  if (value.length < 1 || value.length > MAX_ID_LENGTH || hasControlCharacter(value)) {
    throw new InvalidArgumentError(argument, 'must be 1-128 characters without control characters');
  }
  return value;
}

export function checkOptionalId(argument: string, value: string | undefined | null): string | undefined {
  return value === undefined || value === null ? undefined : checkId(argument, value);
}
