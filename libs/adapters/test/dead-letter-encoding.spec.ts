import { decodePlantEvent } from '@plant/contracts';
import { AwsLimits } from '@plant/config';
import { DeadLetter, deadLetterOf, MAX_DEAD_LETTER_REASON_BYTES } from '@plant/domain';
import { encodeDeadLetter } from '@plant/adapters';

const now = new Date('2026-12-01T00:00:00.000Z');
const recordOf = (data: Uint8Array) => ({ shardId: 'shardId-000000000000', sequenceNumber: '4960'.padEnd(56, '7'), partitionKey: 'a1', data });
const parse = (line: Uint8Array) => JSON.parse(Buffer.from(line).toString('utf8')) as DeadLetter;

describe('dead-letter encoding: a dead letter of any input fits one Firehose record', () => {
  it('keeps a small dead letter whole, without flags', () => {
    const letter = deadLetterOf(recordOf(Buffer.from('{oops')), 'decode', 'not valid JSON', now);
    const decoded = parse(encodeDeadLetter(letter));
    expect(decoded).toEqual(letter);
    expect(decoded.dataTruncated).toBeUndefined();
  });

  it('a 1 MiB record with a 1 MB schemaVersion: reason short, bytes kept as far as they fit, flagged', () => {
    const prefix = '{"schemaVersion":"';
    const data = Buffer.from(`${prefix}${'9'.repeat(AwsLimits.kinesis.recordMaxBytes - prefix.length - 2)}"}`);
    expect(data.length).toBe(AwsLimits.kinesis.recordMaxBytes);
    const result = decodePlantEvent(data);
    expect(result.ok).toBe(false);

    const line = encodeDeadLetter(deadLetterOf(recordOf(data), 'decode', result.ok ? '' : result.reason, now));

    expect(line.length).toBeLessThanOrEqual(AwsLimits.firehose.recordMaxBytes);
    const decoded = parse(line);
    expect(decoded.reason).toMatch(/^unknown schemaVersion "9+…/);
    expect(decoded.dataTruncated).toBe(true);
    expect(decoded.originalBytes).toBe(data.length);
    const kept = Buffer.from(decoded.dataBase64, 'base64');
    expect(kept.length).toBeGreaterThan(700_000);
    expect(kept.equals(data.subarray(0, kept.length))).toBe(true);
  });

  it('caps any reason (here 1 MB from another stage) and still fits with a 1 MiB record', () => {
    const data = Buffer.alloc(AwsLimits.kinesis.recordMaxBytes, 0x41);
    const letter = deadLetterOf(recordOf(data), 'trend-store', `rejected: ${'r'.repeat(1_000_000)}`, now);

    expect(Buffer.byteLength(letter.reason)).toBeLessThanOrEqual(MAX_DEAD_LETTER_REASON_BYTES);
    expect(letter.reason).toMatch(/^rejected: r+ … \[reason cut, 1000010 bytes\]$/);
    const line = encodeDeadLetter({ ...letter, reason: `also uncapped: ${'x'.repeat(2_000_000)}` });
    expect(line.length).toBeLessThanOrEqual(AwsLimits.firehose.recordMaxBytes);
    expect(parse(line).reason).toMatch(/^also uncapped: x+ … \[reason cut, 2000015 bytes\]$/);
  });

  it('cuts a multi-byte reason at a character boundary', () => {
    const letter = deadLetterOf(recordOf(Buffer.from('x')), 'decode', '€😀'.repeat(5_000), now);
    expect(letter.reason).not.toContain('\uFFFD');
    expect(letter.reason.startsWith('€😀€😀')).toBe(true);
    expect(Buffer.byteLength(letter.reason)).toBeLessThanOrEqual(MAX_DEAD_LETTER_REASON_BYTES);
  });
});
