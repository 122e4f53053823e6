import { addCounters, ASSET_STATE_LIMITS, AssetState, BatchPlan, DEFAULT_ALERT_RULES, emptyCounters, kpiItemId, KpiCounters, padSequence, planBatch } from '@plant/domain';
import { plantEvent, sequenced } from './plant-events.fixture';

const ms = (iso: string) => Date.parse(iso);
const plan = (events: ReturnType<typeof sequenced>, states = new Map<string, AssetState | undefined>(), itemMarks?: Map<string, string>) =>
  planBatch({ shardId: 'shard-0', events, states, rules: DEFAULT_ALERT_RULES, itemMarks });

function countersOf(p: BatchPlan, scope: 'asset' | 'line' | 'plant', window: '1m' | '15m' | 'shift' | 'day', at: string): KpiCounters | undefined {
  const start = { '1m': 60_000, '15m': 900_000 }[window as '1m' | '15m'];
  return p.kpiDeltas.find((d) => d.scope === scope && d.window === window && (start === undefined || d.windowStartMs === Math.floor(ms(at) / start) * start))?.counters;
}

/** The stored states after a plan, as the store would return them for the next batch. */
const statesAfter = (p: BatchPlan) => new Map(p.assets.map((a) => [a.assetId, a.after] as const));

describe('planBatch: KPI contributions', () => {
  it('counts production in every window of the asset, its line and its plant', () => {
    const p = plan(sequenced([plantEvent('production', '2026-11-25T08:00:10Z', { goodCount: 9, scrapCount: 1, idealCycleSeconds: 1.5 })]));
    expect(p.kpiDeltas).toHaveLength(12);
    for (const d of p.kpiDeltas) expect(d.counters).toMatchObject({ goodCount: 9, scrapCount: 1, idealMs: 15_000 });
    expect(p.kpiDeltas.filter((d) => d.scope === 'line').map((d) => d.scopeId)).toEqual(['line-1', 'line-1', 'line-1', 'line-1']);
  });

  it('attributes the time between two events to the state the asset was in', () => {
    const p = plan(
      sequenced([
        plantEvent('machine-state', '2026-11-25T08:00:00Z', { state: 'running' }),
        plantEvent('machine-state', '2026-11-25T08:00:20Z', { state: 'idle' }),
        plantEvent('machine-state', '2026-11-25T08:00:30Z', { state: 'down', reasonCode: 'jam' }),
        plantEvent('machine-state', '2026-11-25T08:00:45Z', { state: 'running' }),
      ]),
    );
    expect(countersOf(p, 'asset', '1m', '2026-11-25T08:00:00Z')).toMatchObject({ runMs: 20_000, idleMs: 10_000, downMs: 15_000, downByReasonMs: { jam: 15_000 } });
  });

  it('an open Ampla downtime makes the asset down with the downtime reason', () => {
    const p = plan(
      sequenced([
        plantEvent('downtime', '2026-11-25T08:00:00Z', { downtimeId: 'd1', phase: 'start', reasonCode: 'tool-change' }),
        plantEvent('downtime', '2026-11-25T08:00:40Z', { downtimeId: 'd1', phase: 'end', reasonCode: 'tool-change' }),
        plantEvent('measurement', '2026-11-25T08:00:50Z', { measure: 'temperature', value: 50, quality: 'good' }),
      ]),
    );
    expect(countersOf(p, 'asset', '1m', '2026-11-25T08:00:00Z')).toMatchObject({ runMs: 10_000, downMs: 40_000, downByReasonMs: { 'tool-change': 40_000 } });
  });

  it('splits accounted time at window boundaries', () => {
    const p = plan(
      sequenced([
        plantEvent('machine-state', '2026-11-25T08:00:50Z', { state: 'running' }),
        plantEvent('machine-state', '2026-11-25T08:01:20Z', { state: 'running' }),
      ]),
    );
    expect(countersOf(p, 'asset', '1m', '2026-11-25T08:00:00Z')?.runMs).toBe(10_000);
    expect(countersOf(p, 'asset', '1m', '2026-11-25T08:01:00Z')?.runMs).toBe(20_000);
    expect(countersOf(p, 'asset', '15m', '2026-11-25T08:00:00Z')?.runMs).toBe(30_000);
  });

  it('does not account a silence longer than an hour as run time', () => {
    const p = plan(
      sequenced([
        plantEvent('machine-state', '2026-11-25T08:00:00Z', { state: 'running' }),
        plantEvent('machine-state', '2026-11-25T09:30:00Z', { state: 'running' }),
      ]),
    );
    expect(p.kpiDeltas.every((d) => d.counters.runMs === 0)).toBe(true);
  });

  it('no single event moves the accounting cursor beyond its notAfterMs (ingest time + tolerance)', () => {
    const notAfterMs = ms('2026-11-25T08:05:10Z');
    const events = sequenced([
      plantEvent('machine-state', '2026-11-25T08:00:00Z', { state: 'running' }),
      plantEvent('production', '2200-01-01T00:00:00Z', { goodCount: 1, scrapCount: 0, idealCycleSeconds: 1 }),
    ]).map((e) => ({ ...e, notAfterMs }));
    const p = plan(events);
    expect(p.assets[0].after.accountedUntilMs).toBe(notAfterMs);
  });

  it('repairs a stored cursor set far in the future (before the bounds existed): accounting as from a fresh state', () => {
    const events = sequenced([
      plantEvent('machine-state', '2026-11-25T08:00:00Z', { state: 'running' }),
      plantEvent('machine-state', '2026-11-25T08:00:30Z', { state: 'idle' }),
      plantEvent('machine-state', '2026-11-25T08:00:50Z', { state: 'running' }),
    ]).map((e) => ({ ...e, notAfterMs: ms(e.event.eventTime) + 5 * 60_000 }));
    const fresh = plan(events);
    const stuck = new Map(statesAfter(fresh));
    const state = { ...stuck.get('asset-1')!, shardMarks: {}, accountedUntilMs: ms('2200-01-01T00:00:00Z') };

    const repaired = plan(events, new Map([['asset-1', state]]));

    expect(countersOf(repaired, 'asset', '1m', '2026-11-25T08:00:00Z')).toMatchObject({ runMs: 30_000, idleMs: 20_000 });
    expect(countersOf(repaired, 'asset', '1m', '2026-11-25T08:00:00Z')).toEqual(countersOf(fresh, 'asset', '1m', '2026-11-25T08:00:00Z'));
    expect(repaired.assets[0].after.accountedUntilMs).toBe(ms('2026-11-25T08:00:50Z'));
  });

  it('keeps a stored cursor a little ahead of the event (a late event adds no time, the cursor stays)', () => {
    const first = plan(sequenced([plantEvent('machine-state', '2026-11-25T08:00:40Z', { state: 'running' })]));
    const late = sequenced([plantEvent('machine-state', '2026-11-25T08:00:10Z', { state: 'running' })], 2).map((e) => ({ ...e, notAfterMs: ms('2026-11-25T08:00:20Z') }));
    const p = plan(late, statesAfter(first));
    expect(p.assets[0].after.accountedUntilMs).toBe(ms('2026-11-25T08:00:40Z'));
    expect(p.kpiDeltas.every((d) => d.counters.runMs === 0)).toBe(true);
  });

  it('sums assets of a line into the line item', () => {
    const p = plan(
      sequenced([
        plantEvent('production', '2026-11-25T08:00:10Z', { goodCount: 3, scrapCount: 0, idealCycleSeconds: 1 }),
        plantEvent('production', '2026-11-25T08:00:11Z', { goodCount: 4, scrapCount: 1, idealCycleSeconds: 1 }, { assetId: 'asset-2' }),
      ]),
    );
    expect(countersOf(p, 'line', '1m', '2026-11-25T08:00:00Z')).toMatchObject({ goodCount: 7, scrapCount: 1 });
    expect(countersOf(p, 'asset', '1m', '2026-11-25T08:00:00Z')).toMatchObject({ goodCount: 3 });
  });
});

describe('planBatch: state and idempotency', () => {
  const events = sequenced([
    plantEvent('machine-state', '2026-11-25T08:00:00Z', { state: 'running' }),
    plantEvent('production', '2026-11-25T08:00:30Z', { goodCount: 5, scrapCount: 1, idealCycleSeconds: 2 }),
    plantEvent('downtime', '2026-11-25T08:00:40Z', { downtimeId: 'd1', phase: 'start', reasonCode: 'jam' }),
    plantEvent('downtime', '2026-11-25T08:01:10Z', { downtimeId: 'd1', phase: 'end', reasonCode: 'jam' }),
    plantEvent('measurement', '2026-11-25T08:01:30Z', { measure: 'temperature', value: 95, quality: 'good' }),
    plantEvent('production', '2026-11-25T08:02:00Z', { goodCount: 7, scrapCount: 0, idealCycleSeconds: 2 }),
  ]);

  const sumByItem = (...plans: BatchPlan[]) => {
    const sums = new Map<string, KpiCounters>();
    for (const d of plans.flatMap((p) => p.kpiDeltas)) sums.set(d.itemId, addCounters(sums.get(d.itemId) ?? emptyCounters(), d.counters));
    return sums;
  };

  it('a batch replayed against the state it produced changes nothing', () => {
    const first = plan(events);
    const replay = plan(events, statesAfter(first));
    expect(replay.kpiDeltas).toEqual([]);
    expect(replay.assets).toEqual([]);
    expect(replay.alertChanges).toEqual([]);
    expect(replay.alreadyApplied).toBe(events.length);
  });

  it('batch boundaries do not change the result: two halves add up to the whole', () => {
    const whole = plan(events);
    const firstHalf = plan(events.slice(0, 3));
    const secondHalf = plan(events.slice(3), statesAfter(firstHalf));
    expect(sumByItem(firstHalf, secondHalf)).toEqual(sumByItem(whole));
    expect(secondHalf.assets[0].after).toEqual({ ...whole.assets[0].after, version: 2 });
  });

  it('a longer redelivery after a partly applied batch applies only the new events to the state', () => {
    const first = plan(events.slice(0, 4));
    const redelivery = plan(events, statesAfter(first));
    expect(redelivery.alreadyApplied).toBe(4);
    expect(sumByItem(first, redelivery)).toEqual(sumByItem(plan(events)));
  });

  it('leaves out contributions at or before an item mark (item written before a crash, state not)', () => {
    const whole = plan(events);
    const minuteItem = kpiItemId('asset', 'asset-1', '1m', ms('2026-11-25T08:00:00Z'));
    const replan = plan(events, new Map(), new Map([[minuteItem, padSequence('3')]]));
    const replanned = replan.kpiDeltas.find((d) => d.itemId === minuteItem)!;
    expect(replanned.firstSequence).toBe(padSequence('4'));
    expect(replanned.counters.downMs).toBe(20_000);
    expect(replanned.counters.goodCount).toBe(0);
    expect(replan.kpiDeltas.filter((d) => d.itemId !== minuteItem)).toEqual(whole.kpiDeltas.filter((d) => d.itemId !== minuteItem));
  });

  it(`keeps at most ${ASSET_STATE_LIMITS.sensors} sensors and ${ASSET_STATE_LIMITS.openDowntimes} open downtimes per asset; known ones keep updating`, () => {
    const at = '2026-11-25T08:00:00Z';
    const p = plan(
      sequenced([
        ...Array.from({ length: ASSET_STATE_LIMITS.sensors + 10 }, (_, i) => plantEvent('measurement', at, { measure: `m${i}`, value: i, quality: 'good' })),
        ...Array.from({ length: ASSET_STATE_LIMITS.openDowntimes + 10 }, (_, i) => plantEvent('downtime', at, { downtimeId: `d${i}`, phase: 'start', reasonCode: `r${i}` })),
        plantEvent('measurement', '2026-11-25T08:00:05Z', { measure: 'm0', value: -1, quality: 'good' }),
        plantEvent('downtime', '2026-11-25T08:00:05Z', { downtimeId: 'd0', phase: 'end', reasonCode: 'r0' }),
        plantEvent('downtime', '2026-11-25T08:00:06Z', { downtimeId: 'd-new', phase: 'start', reasonCode: 'r-new' }),
      ]),
    );
    const state = p.assets[0].after;
    expect(Object.keys(state.sensors)).toHaveLength(ASSET_STATE_LIMITS.sensors);
    expect(state.sensors.m0.value).toBe(-1);
    expect(state.sensors[`m${ASSET_STATE_LIMITS.sensors}`]).toBeUndefined();
    expect(Object.keys(state.openDowntimes)).toHaveLength(ASSET_STATE_LIMITS.openDowntimes);
    expect(state.openDowntimes['d-new']).toEqual({ reasonCode: 'r-new', since: '2026-11-25T08:00:06Z' });
  });

  it('keeps the latest sensor value and ignores an older reading delivered later', () => {
    const p = plan(
      sequenced([
        plantEvent('measurement', '2026-11-25T08:00:10Z', { measure: 'vibration', value: 2, quality: 'good' }),
        plantEvent('measurement', '2026-11-25T08:00:05Z', { measure: 'vibration', value: 9, quality: 'good' }),
      ]),
    );
    expect(p.assets[0].after.sensors.vibration).toMatchObject({ value: 2, at: '2026-11-25T08:00:10Z' });
  });

  it('records the shard mark and bumps the state version', () => {
    const p = plan(events);
    expect(p.assets[0].after.shardMarks['shard-0']).toBe(padSequence(String(events.length)));
    expect(p.assets[0].after.version).toBe(1);
    expect(p.assets[0].before).toBeUndefined();
  });
});
