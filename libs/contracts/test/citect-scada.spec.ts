import { CitectScadaNormaliser } from '@plant/contracts';
import { normalisationIssues } from './normalisation-issues';

const normaliser = new CitectScadaNormaliser(() => new Date('2026-11-25T08:00:05Z'));
const equipment = 'acme.plt1.plt1-l2.plt1-l2-press3';
const alarm = {
  type: 'alarm',
  tag: 'PLT1_L2_PRESS3_VIB_HI',
  equipment,
  state: 'ON',
  onTime: '2026-11-25T09:00:00.000+01:00',
  time: '2026-11-25T09:00:00.000+01:00',
  priority: 2,
  description: 'Vibration high',
};
const stateChange = { type: 'tag-state', tag: 'PLT1_L2_PRESS3_STATE', equipment, value: 2, time: '2026-11-25T08:01:00Z', cause: 'bearing-failure' };

const issues = (payload: unknown) => normalisationIssues(normaliser, payload);

describe('Citect SCADA normaliser', () => {
  it('maps ON, ACK and OFF of one occurrence to raised, acknowledged and cleared with one alarm id', () => {
    const events = (['ON', 'ACK', 'OFF'] as const).map(
      (state, i) => normaliser.normalise({ ...alarm, state, time: `2026-11-25T08:0${i}:00Z` })[0],
    );
    expect(events.map((e) => e.kind === 'alarm' && e.phase)).toEqual(['raised', 'acknowledged', 'cleared']);
    expect(new Set(events.map((e) => e.kind === 'alarm' && e.alarmId))).toEqual(new Set(['PLT1_L2_PRESS3_VIB_HI@2026-11-25T08:00:00.000Z']));
    expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
    expect(events[0]).toMatchObject({ source: 'citect-scada', priority: 2, tag: alarm.tag, message: 'Vibration high', assetId: 'plt1-l2-press3' });
  });

  it('folds Citect priorities above 4 into the lowest contract priority', () => {
    expect(normaliser.normalise({ ...alarm, priority: 200 })[0]).toMatchObject({ priority: 4 });
  });

  it.each([
    [1, 'running', undefined],
    [0, 'idle', 'stopped'],
    [3, 'idle', 'starved'],
    [4, 'idle', 'blocked'],
    [5, 'down', 'maintenance'],
  ])('maps state code %d to %s with reason %s', (value, state, reasonCode) => {
    const [event] = normaliser.normalise({ ...stateChange, value, cause: undefined });
    expect(event).toMatchObject({ kind: 'machine-state', state });
    expect((event as { reasonCode?: string }).reasonCode).toBe(reasonCode);
  });

  it('prefers the cause the PLC gives over the code default', () => {
    expect(normaliser.normalise(stateChange)[0]).toMatchObject({ state: 'down', reasonCode: 'bearing-failure', eventTime: '2026-11-25T08:01:00.000Z' });
  });

  it('rejects an unknown state code, listing the known ones', () => {
    expect(issues({ ...stateChange, value: 9 })).toEqual([{ path: 'value', message: 'is state code 9, which is not one of 0, 1, 2, 3, 4, 5' }]);
  });

  it('rejects a bad tag name, a priority of 0 and an unknown alarm state', () => {
    const found = issues({ ...alarm, tag: '9-bad tag', priority: 0, state: 'MAYBE' });
    expect(found.map((i) => i.path).sort()).toEqual(['priority', 'state', 'tag']);
    expect(found.find((i) => i.path === 'priority')?.message).toBe('must be 1-255');
  });

  it('rejects a record without a type', () => {
    expect(issues({ ...stateChange, type: undefined })[0].path).toBe('type');
  });
});
