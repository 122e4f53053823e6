import type { PlantEvent } from '@plant/contracts';
import { AlertRule, alertIdOf, applyAlertRules, ASSET_STATE_LIMITS, AssetState, initialAssetState } from '@plant/domain';
import { plantEvent } from './plant-events.fixture';

const hierarchy = { enterpriseId: 'ent-1', plantId: 'plant-1', lineId: 'line-1', assetId: 'asset-1' };
const freshState = () => initialAssetState(hierarchy, '2026-11-25T08:00:00Z');

/** Runs events through the rules the way the planner does (rules first, then the sensor value is kept). */
function run(rules: AlertRule[], events: PlantEvent[], state: AssetState = freshState()) {
  const changes = [];
  for (const event of events) {
    changes.push(...applyAlertRules(state, event, rules));
    if (event.kind === 'measurement') state.sensors[event.measure] = { measure: event.measure, value: event.value, quality: event.quality, at: event.eventTime };
  }
  return { changes, state };
}
const temperature = (at: string, value: number, quality: 'good' | 'bad' = 'good') => plantEvent('measurement', at, { measure: 'temperature', value, unit: '°C', quality });

describe('alert rules', () => {
  const high: AlertRule = { kind: 'threshold', ruleId: 'temp-high', measure: 'temperature', above: 90, severity: 'major' };

  it('threshold: raises once when crossed, not again while open, clears when back', () => {
    const { changes } = run([high], [temperature('2026-11-25T08:00:01Z', 80), temperature('2026-11-25T08:00:02Z', 95), temperature('2026-11-25T08:00:03Z', 99), temperature('2026-11-25T08:00:04Z', 85)]);
    expect(changes.map((c) => [c.status, c.value ?? null])).toEqual([
      ['open', 95],
      ['cleared', 95],
    ]);
    expect(changes[0]).toMatchObject({ severity: 'major', ruleId: 'temp-high', raisedAt: '2026-11-25T08:00:02Z', message: 'temperature 95 °C above 90' });
    expect(changes[1]).toMatchObject({ alertId: changes[0].alertId, clearedAt: '2026-11-25T08:00:04Z' });
  });

  it('threshold: a lower bound raises below it', () => {
    const low: AlertRule = { kind: 'threshold', ruleId: 'temp-low', measure: 'temperature', below: 5, severity: 'minor' };
    expect(run([low], [temperature('2026-11-25T08:00:01Z', 3)]).changes[0]).toMatchObject({ status: 'open', message: 'temperature 3 °C below 5' });
  });

  it('the alert id is deterministic: the same raising event gives the same id', () => {
    const event = temperature('2026-11-25T08:00:02Z', 95);
    const a = run([high], [event]).changes[0];
    const b = run([high], [event]).changes[0];
    expect(a.alertId).toBe(b.alertId);
    expect(a.alertId).toBe(alertIdOf('temp-high', 'asset-1', event.eventId));
  });

  it('readings of bad quality neither raise nor clear', () => {
    expect(run([high], [temperature('2026-11-25T08:00:01Z', 500, 'bad')]).changes).toEqual([]);
  });

  it('rate of change: raises when the value moves faster than allowed per second', () => {
    const fast: AlertRule = { kind: 'rate-of-change', ruleId: 'temp-fast', measure: 'temperature', maxPerSecond: 2, severity: 'minor' };
    const { changes } = run([fast], [temperature('2026-11-25T08:00:00Z', 50), temperature('2026-11-25T08:00:02Z', 53), temperature('2026-11-25T08:00:04Z', 60), temperature('2026-11-25T08:00:10Z', 61)]);
    expect(changes.map((c) => c.status)).toEqual(['open', 'cleared']);
    expect(changes[0].message).toBe('temperature changing 3.5 °C/s, faster than 2/s');
  });

  it('machine down: raised on down, cleared when running again', () => {
    const down: AlertRule = { kind: 'machine-down', ruleId: 'down', severity: 'major' };
    const { changes, state } = run(
      [down],
      [
        plantEvent('machine-state', '2026-11-25T08:00:00Z', { state: 'down', reasonCode: 'jam' }),
        plantEvent('machine-state', '2026-11-25T08:00:05Z', { state: 'down', reasonCode: 'jam' }),
        plantEvent('machine-state', '2026-11-25T08:01:00Z', { state: 'running' }),
      ],
    );
    expect(changes.map((c) => c.status)).toEqual(['open', 'cleared']);
    expect(changes[0].message).toBe('machine down (reason jam)');
    expect(state.openAlerts).toEqual({});
  });

  it('SCADA alarms: raised, acknowledged, cleared, severity from priority, per alarm id', () => {
    const scada: AlertRule = { kind: 'scada-alarm', ruleId: 'scada', severityByPriority: { 1: 'critical', 2: 'major', 3: 'minor', 4: 'info' } };
    const alarm = (at: string, alarmId: string, phase: 'raised' | 'acknowledged' | 'cleared') =>
      plantEvent('alarm', at, { alarmId, phase, priority: 1, tag: 'PRESS01.OVERLOAD', message: 'overload' });
    const { changes } = run(
      [scada],
      [
        alarm('2026-11-25T08:00:00Z', 'A1', 'raised'),
        alarm('2026-11-25T08:00:01Z', 'A1', 'raised'),
        alarm('2026-11-25T08:00:02Z', 'A2', 'raised'),
        alarm('2026-11-25T08:00:03Z', 'A1', 'acknowledged'),
        alarm('2026-11-25T08:00:04Z', 'A1', 'cleared'),
      ],
    );
    expect(changes.map((c) => [c.status, c.severity])).toEqual([
      ['open', 'critical'],
      ['open', 'critical'],
      ['acknowledged', 'critical'],
      ['cleared', 'critical'],
    ]);
    expect(changes[2]).toMatchObject({ alertId: changes[0].alertId, acknowledgedBy: 'scada', acknowledgedAt: '2026-11-25T08:00:03Z' });
    expect(changes[1].alertId).not.toBe(changes[0].alertId);
  });

  it(`keeps at most ${ASSET_STATE_LIMITS.openScadaAlarms} SCADA alarms open per asset: a further one raises nothing until one clears`, () => {
    const scada: AlertRule = { kind: 'scada-alarm', ruleId: 'scada', severityByPriority: { 1: 'critical', 2: 'major', 3: 'minor', 4: 'info' } };
    const high: AlertRule = { kind: 'threshold', ruleId: 'temp-high', measure: 'temperature', above: 90, severity: 'major' };
    const alarm = (i: number, phase: 'raised' | 'cleared') => plantEvent('alarm', '2026-11-25T08:00:00Z', { alarmId: `A${i}`, phase, priority: 2, tag: 'T', message: 'm' });
    const limit = ASSET_STATE_LIMITS.openScadaAlarms;
    const { changes, state } = run([scada, high], [...Array.from({ length: limit + 5 }, (_, i) => alarm(i, 'raised')), temperature('2026-11-25T08:00:01Z', 95)]);
    expect(changes.filter((c) => c.ruleId === 'scada')).toHaveLength(limit);
    expect(changes.filter((c) => c.ruleId === 'temp-high')).toHaveLength(1); // other rules are not capped by SCADA alarms
    expect(Object.keys(state.openAlerts)).toHaveLength(limit + 1);

    const after = run([scada], [alarm(0, 'cleared'), alarm(limit + 1, 'raised')], state).changes;
    expect(after.map((c) => c.status)).toEqual(['cleared', 'open']);
  });

  it('an acknowledgement or clear of an alarm never raised changes nothing', () => {
    const scada: AlertRule = { kind: 'scada-alarm', ruleId: 'scada', severityByPriority: { 1: 'critical', 2: 'major', 3: 'minor', 4: 'info' } };
    const ack = plantEvent('alarm', '2026-11-25T08:00:00Z', { alarmId: 'A9', phase: 'cleared', priority: 2, tag: 'T', message: 'm' });
    expect(run([scada], [ack]).changes).toEqual([]);
  });
});
