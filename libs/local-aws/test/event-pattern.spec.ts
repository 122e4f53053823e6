import { InvalidPatternError, matchesPattern, parseEventPattern } from '../src/eventbridge/event-pattern';

const event = {
  source: 'plant.stream-writer',
  'detail-type': 'Alert Raised',
  time: '2026-11-25T08:00:00Z',
  resources: ['asset/a1', 'line/l1'],
  detail: { severity: 'critical', priority: 1, value: 87.5, plant: { id: 'p-munich' }, tags: ['temp', 'vibration'], note: null, empty: '' },
};
const matches = (pattern: object) => matchesPattern(parseEventPattern(JSON.stringify(pattern)), event);

describe('EventBridge event patterns', () => {
  it('matches exact values as OR within a field and AND across fields', () => {
    expect(matches({ source: ['plant.stream-writer'], 'detail-type': ['Alert Raised', 'Alert Cleared'] })).toBe(true);
    expect(matches({ source: ['plant.stream-writer'], 'detail-type': ['Alert Cleared'] })).toBe(false);
  });

  it('matches nested detail fields', () => {
    expect(matches({ detail: { plant: { id: ['p-munich'] } } })).toBe(true);
    expect(matches({ detail: { plant: { id: ['p-leipzig'] } } })).toBe(false);
    expect(matches({ detail: { plant: { missing: ['x'] } } })).toBe(false);
  });

  it('matches when any element of an event array matches', () => {
    expect(matches({ resources: ['line/l1'] })).toBe(true);
    expect(matches({ detail: { tags: ['vibration'] } })).toBe(true);
  });

  it('compares numbers by value and matches null and empty strings exactly', () => {
    expect(matches({ detail: { priority: [1.0] } })).toBe(true);
    expect(matches({ detail: { priority: ['1'] } })).toBe(false);
    expect(matches({ detail: { note: [null] } })).toBe(true);
    expect(matches({ detail: { empty: [''] } })).toBe(true);
  });

  it('matches prefix, suffix and equals-ignore-case', () => {
    expect(matches({ source: [{ prefix: 'plant.' }] })).toBe(true);
    expect(matches({ source: [{ prefix: { 'equals-ignore-case': 'PLANT.' } }] })).toBe(true);
    expect(matches({ source: [{ suffix: '-writer' }] })).toBe(true);
    expect(matches({ detail: { severity: [{ 'equals-ignore-case': 'CRITICAL' }] } })).toBe(true);
    expect(matches({ source: [{ prefix: 'aws.' }] })).toBe(false);
  });

  it('matches numeric ranges', () => {
    expect(matches({ detail: { value: [{ numeric: ['>', 80, '<=', 90] }] } })).toBe(true);
    expect(matches({ detail: { value: [{ numeric: ['>=', 90] }] } })).toBe(false);
    expect(matches({ detail: { value: [{ numeric: ['=', 87.5] }] } })).toBe(true);
    expect(matches({ detail: { severity: [{ numeric: ['>', 0] }] } })).toBe(false);
  });

  it('matches anything-but values, lists and prefixes, but never a missing field', () => {
    expect(matches({ detail: { severity: [{ 'anything-but': 'info' }] } })).toBe(true);
    expect(matches({ detail: { severity: [{ 'anything-but': ['critical', 'major'] }] } })).toBe(false);
    expect(matches({ detail: { priority: [{ 'anything-but': [2, 3] }] } })).toBe(true);
    expect(matches({ source: [{ 'anything-but': { prefix: 'plant.' } }] })).toBe(false);
    expect(matches({ detail: { missing: [{ 'anything-but': 'x' }] } })).toBe(false);
  });

  it('matches exists true and false on leaf fields', () => {
    expect(matches({ detail: { severity: [{ exists: true }] } })).toBe(true);
    expect(matches({ detail: { missing: [{ exists: false }] } })).toBe(true);
    expect(matches({ detail: { severity: [{ exists: false }] } })).toBe(false);
    expect(matches({ detail: { plant: [{ exists: true }] } })).toBe(false);
  });

  it('matches wildcards and $or alternatives', () => {
    expect(matches({ resources: [{ wildcard: 'asset/*' }] })).toBe(true);
    expect(matches({ $or: [{ detail: { severity: ['info'] } }, { detail: { priority: [1] } }] })).toBe(true);
    expect(matches({ $or: [{ detail: { severity: ['info'] } }, { detail: { priority: [2] } }] })).toBe(false);
  });

  it.each([
    ['not JSON', 'nope'],
    ['a scalar leaf', '{"source": "plant"}'],
    ['an unknown operator', '{"source": [{"regex": "x"}]}'],
    ['a bad numeric range', '{"v": [{"numeric": [">", "1"]}]}'],
    ['exists that is not a boolean', '{"v": [{"exists": "yes"}]}'],
    ['an empty object', '{"detail": {}}'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseEventPattern(text)).toThrow(InvalidPatternError);
  });
});
