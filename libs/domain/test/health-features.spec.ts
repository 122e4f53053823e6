import { HealthFeatureBuilder, KpiSnapshot, rollingStats } from '@plant/domain';
import { plantEvent } from './plant-events.fixture';

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 11, 1, 8, minute, second)).toISOString();
const vibration = (minute: number, value: number, assetId = 'asset-1') => plantEvent('measurement', at(minute), { measure: 'vibration', value, quality: 'good' }, { assetId });

describe('rolling statistics', () => {
  it('gives mean, population std and least-squares slope per minute', () => {
    const stats = rollingStats([0, 1, 2, 3].map((m) => ({ tMs: m * 60_000 + 1.7e12, value: 2 * m + 1 })));
    expect(stats).toEqual({ mean: 4, std: Math.sqrt(5), slopePerMinute: 2 });
  });

  it('has no slope for one time', () => {
    expect(rollingStats([{ tMs: 5, value: 3 }])).toEqual({ mean: 3, std: 0, slopePerMinute: undefined });
  });
});

describe('health feature builder', () => {
  it('computes 5 and 60 minute sensor statistics ending at the newest event time', () => {
    const builder = new HealthFeatureBuilder();
    const [record] = builder.fold([vibration(0, 10), vibration(50, 1), vibration(56, 2), vibration(58, 3)]);
    expect(record.featureGroupName).toBe('asset-health');
    expect(record.values).toMatchObject({
      asset_id: 'asset-1',
      line_id: 'line-1',
      plant_id: 'plant-1',
      event_time: at(58),
      vibration_5m_mean: '2.5',
      vibration_5m_slope: '0.5',
      vibration_60m_mean: '4',
    });
    expect(record.values.temperature_5m_mean).toBeUndefined();
  });

  it('leaves readings older than 60 minutes out', () => {
    const [record] = new HealthFeatureBuilder().fold([vibration(0, 100), vibration(61, 1)]);
    expect(record.values.vibration_60m_mean).toBe('1');
  });

  it('counts cycles, scrap rate, downtime and alarms of the last 60 minutes', () => {
    const events = [
      plantEvent('production', at(10), { goodCount: 8, scrapCount: 2, idealCycleSeconds: 30 }),
      plantEvent('downtime', at(20), { downtimeId: 'd1', phase: 'start', reasonCode: 'jam' }),
      plantEvent('downtime', at(25), { downtimeId: 'd1', phase: 'end', reasonCode: 'jam' }),
      plantEvent('alarm', at(30), { alarmId: 'al1', phase: 'raised', priority: 1, tag: 't', message: 'm' }),
      plantEvent('alarm', at(31), { alarmId: 'al1', phase: 'cleared', priority: 1, tag: 't', message: 'm' }),
    ];
    const [asset, line] = new HealthFeatureBuilder().fold(events);
    expect(asset.values).toMatchObject({ cycles_60m: '10', scrap_rate_60m: '0.2', downtime_events_60m: '1', downtime_seconds_60m: '300', alarm_count_60m: '1' });
    expect(line.featureGroupName).toBe('line-health');
    expect(line.values).toMatchObject({ line_id: 'line-1', cycles_60m: '10', assets_down: '0', event_time: at(31) });
  });

  it('takes OEE of the 15-minute and shift windows from the live KPI snapshots', () => {
    const kpi = (window: '15m' | 'shift', oee: number, scope: 'asset' | 'line' = 'asset'): KpiSnapshot =>
      ({ scope, scopeId: scope === 'asset' ? 'asset-1' : 'line-1', hierarchy: { enterpriseId: 'ent-1', plantId: 'plant-1' }, window, windowStart: at(0), figures: { oee } }) as unknown as KpiSnapshot;
    const [asset, line] = new HealthFeatureBuilder().fold([vibration(1, 1)], [kpi('15m', 0.5), kpi('shift', 0.75), kpi('15m', 0.4, 'line')]);
    expect(asset.values).toMatchObject({ oee_15m: '0.5', oee_shift: '0.75' });
    expect(line.values).toMatchObject({ oee_15m: '0.4' });
  });

  it('writes nothing for a replayed batch and nothing when no value changed', () => {
    const builder = new HealthFeatureBuilder();
    const batch = [vibration(0, 1), vibration(1, 2)];
    const first = builder.fold(batch);
    builder.written(first);
    expect(builder.fold(batch)).toEqual([]);
    expect(builder.fold([plantEvent('quality', at(2), { defectCode: 'x', defectCount: 1 })])).toEqual([]);
  });

  it('refreshes a written record once per interval of event time, not on every change', () => {
    const builder = new HealthFeatureBuilder(undefined, undefined, 10_000);
    builder.written(builder.fold([vibration(0, 1)]));
    let refreshes = 0;
    for (let second = 1; second <= 20; second++) {
      const records = builder.fold([{ ...vibration(0, second + 1), eventTime: at(0, second), eventId: `e-${second}` }]).filter((r) => r.featureGroupName === 'asset-health');
      refreshes += records.length;
      builder.written(records);
    }
    // 20 changed seconds cross two 10-second slots of this record's phase: one refresh each, not twenty.
    expect(refreshes).toBe(2);
  });

  it('gives the same record for the same events in another order', () => {
    const events = [vibration(0, 1), vibration(3, 7), vibration(1, 2), vibration(4, 5)];
    const a = new HealthFeatureBuilder().fold(events);
    const b = new HealthFeatureBuilder().fold([...events].reverse());
    expect(b.find((r) => r.featureGroupName === 'asset-health')?.values).toEqual(a.find((r) => r.featureGroupName === 'asset-health')?.values);
  });

  it('sends the records of a failed write again when the batch is retried (its events all seen)', () => {
    const builder = new HealthFeatureBuilder();
    const batch = [vibration(0, 1)];
    const first = builder.fold(batch);
    expect(builder.fold(batch)).toEqual(first);
    builder.written(first);
    expect(builder.fold(batch)).toEqual([]);
  });
});
