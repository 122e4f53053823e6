/**
 * Kinesis sequence numbers are decimal strings of up to 129 digits that only grow within a shard
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Record.html). They exceed DynamoDB's
 * 38-digit numbers, so stores keep them as zero-padded strings: padded strings of one width compare
 * in the same order as the numbers, also inside DynamoDB condition expressions.
 */
export const SEQUENCE_WIDTH = 130;

export function padSequence(sequenceNumber: string): string {
  if (!/^\d{1,130}$/.test(sequenceNumber)) throw new Error(`not a Kinesis sequence number: ${JSON.stringify(sequenceNumber)}`);
  return sequenceNumber.padStart(SEQUENCE_WIDTH, '0');
}

/** Orders two padded sequence numbers (negative when a is older). */
export function compareSequences(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
