import type { Alert, KpiSnapshot } from '@plant/domain';
import { InvalidArgumentError } from '@plant/domain';
import { alertRaisedMatches, kpiMatches, kpiTargetOf } from '../src/live/subscription-filters';

const snapshot = (scope: KpiSnapshot['scope'], scopeId: string, window: KpiSnapshot['window'] = '15m') =>
  ({ scope, scopeId, window }) as KpiSnapshot;
const alert = (over: Partial<Alert>) => ({ plantId: 'p1', severity: 'major', status: 'open', ...over }) as Alert;

describe('kpiTargetOf', () => {
  it('follows the one entity named', () => {
    expect(kpiTargetOf({ lineId: 'l1' })).toEqual({ scope: 'line', id: 'l1', window: undefined });
  });

  it.each([{}, { assetId: 'a1', lineId: 'l1' }, { assetId: 'a1', lineId: 'l1', plantId: 'p1' }])(
    'rejects %p: exactly one id is required',
    (args) => {
      expect(() => kpiTargetOf(args)).toThrow(InvalidArgumentError);
    },
  );

  it('rejects an empty id', () => {
    expect(() => kpiTargetOf({ assetId: '' })).toThrow(InvalidArgumentError);
  });
});

describe('kpiMatches', () => {
  it('matches only the entity’s own KPI of the same scope', () => {
    const target = kpiTargetOf({ assetId: 'x' });
    expect(kpiMatches(target, snapshot('asset', 'x'))).toBe(true);
    expect(kpiMatches(target, snapshot('line', 'x'))).toBe(false);
    expect(kpiMatches(target, snapshot('asset', 'y'))).toBe(false);
  });

  it('narrows to one window when given', () => {
    const target = kpiTargetOf({ plantId: 'p1', window: '1m' });
    expect(kpiMatches(target, snapshot('plant', 'p1', '1m'))).toBe(true);
    expect(kpiMatches(target, snapshot('plant', 'p1', '15m'))).toBe(false);
  });
});

describe('alertRaisedMatches', () => {
  it('passes open alerts of the plant at or above the severity', () => {
    const filter = { plantId: 'p1', minSeverity: 'major' as const };
    expect(alertRaisedMatches(filter, alert({}))).toBe(true);
    expect(alertRaisedMatches(filter, alert({ severity: 'critical' }))).toBe(true);
    expect(alertRaisedMatches(filter, alert({ severity: 'minor' }))).toBe(false);
    expect(alertRaisedMatches(filter, alert({ plantId: 'p2' }))).toBe(false);
  });

  it('does not treat acknowledge or clear changes as raises', () => {
    expect(alertRaisedMatches({}, alert({ status: 'acknowledged' }))).toBe(false);
    expect(alertRaisedMatches({}, alert({ status: 'cleared' }))).toBe(false);
  });
});
