import { alertEntryOf, dynamoItemBytes, putEventsEntryBytes, assertExpressionFits, assertItemFits } from '@plant/adapters';
import { AwsLimits } from '@plant/config';
import { Alert, SinkLimitError } from '@plant/domain';

const alert: Alert = {
  alertId: 'a'.repeat(32),
  ruleId: 'scada-alarm',
  enterpriseId: 'ent-1',
  plantId: 'plant-1',
  lineId: 'line-1',
  assetId: 'asset-1',
  severity: 'major',
  status: 'open',
  message: 'PRESS1.TEMP: over temperature',
  raisedAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};

describe('EventBridge entry size (256 KB)', () => {
  it('sends an alert as it is when it fits', () => {
    const entry = alertEntryOf(alert, 'plant-alerts');
    expect(JSON.parse(entry.Detail!)).toEqual(alert);
    expect(putEventsEntryBytes(entry)).toBe(14 + 'plant.stream-writer'.length + 'Alert Raised'.length + Buffer.byteLength(entry.Detail!));
  });

  it.each([
    ['ASCII', 'm'.repeat(300_000)],
    ['multi-byte', '€'.repeat(120_000)],
    ['JSON-escaped control characters', '\u0001'.repeat(60_000)],
  ])('cuts an over-long %s message to fit and flags it', (_name, message) => {
    const entry = alertEntryOf({ ...alert, message }, 'plant-alerts');
    expect(putEventsEntryBytes(entry)).toBeLessThanOrEqual(AwsLimits.eventBridge.entryMaxBytes);
    const detail = JSON.parse(entry.Detail!) as Alert & { messageTruncated?: boolean };
    expect(detail.messageTruncated).toBe(true);
    expect(message.startsWith(detail.message)).toBe(true);
    expect(detail.message.length).toBeGreaterThan(10_000);
  });
});

describe('DynamoDB limits (400 KB per item, 4 KB per expression)', () => {
  it('counts names, strings, numbers and nested maps', () => {
    expect(dynamoItemBytes({ pk: 'ASSET#a1', n: 42, m: { k: 'v', l: [1, 'x'] } })).toBe(2 + 8 + 1 + 21 + 1 + (3 + (1 + 1 + 1) + (1 + 1 + (3 + (1 + 21) + (1 + 1)))));
  });

  it('refuses an item over 400 KB before sending, with a named non-transient error', () => {
    const item = { pk: 'ASSET#a1', assetState: { sensors: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`m${i}`, 'x'.repeat(1_000)])) } };
    expect(() => assertItemFits('asset-state', 'the state of asset a1', item)).toThrow(SinkLimitError);
    expect(() => assertItemFits('asset-state', 'the state of asset a1', item)).toThrow(/^asset-state: the state of asset a1 would take \d+ bytes \(DynamoDB items are at most 409600 bytes\)$/);
    expect(() => assertItemFits('asset-state', 'x', { pk: 'x', v: 'y'.repeat(400_000) })).not.toThrow();
  });

  it('refuses an expression over 4 KB before sending', () => {
    expect(() => assertExpressionFits('kpi-store', 'the update', 'ADD ' + '#a1 :a1, '.repeat(500))).toThrow(/^kpi-store: the update takes \d+ bytes \(DynamoDB expressions are at most 4096 bytes\)$/);
    expect(new SinkLimitError('s', 'l', 'd').transient).toBe(false);
  });
});
