import { AwsLimits } from '@plant/config';
import { SinkLimitError } from '@plant/domain';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * An upper bound of the size DynamoDB counts for an item given as DocumentClient values
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * names and strings their UTF-8 bytes, a number at most 21 bytes, a map or list 3 bytes plus
 * 1 byte per element, booleans and null 1 byte.
 */
export function dynamoItemBytes(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) if (value !== undefined) size += utf8(name) + valueBytes(value);
  return size;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return 21;
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.length;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce((sum, [k, v]) => (v === undefined ? sum : sum + 1 + utf8(k) + valueBytes(v)), 0);
  return 0;
}

/** Throws SinkLimitError before sending an item over DynamoDB's 400 KB. */
export function assertItemFits(sink: string, what: string, item: Record<string, unknown>): void {
  const size = dynamoItemBytes(item);
  if (size > AwsLimits.dynamoDb.itemMaxBytes) throw new SinkLimitError(sink, `DynamoDB items are at most ${AwsLimits.dynamoDb.itemMaxBytes} bytes`, `${what} would take ${size} bytes`);
}

/** Throws SinkLimitError before sending an expression over DynamoDB's 4 KB. */
export function assertExpressionFits(sink: string, what: string, expression: string): void {
  const size = utf8(expression);
  if (size > AwsLimits.dynamoDb.expressionMaxBytes) {
    throw new SinkLimitError(sink, `DynamoDB expressions are at most ${AwsLimits.dynamoDb.expressionMaxBytes} bytes`, `${what} takes ${size} bytes`);
  }
}
