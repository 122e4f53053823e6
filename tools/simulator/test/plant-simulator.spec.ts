import { decodePlantEvent, PlantEvent } from '@plant/contracts';
import { DRIFT_FAILURE_REASONS, MALFORMED_KINDS, PlantSimulator, PlantSimulatorOptions } from '@plant/simulator';

const START = Date.parse('2026-11-25T05:00:00Z');

/** Runs the simulator for `minutes` of simulated time, one batch of `perBatch` events every `stepS` seconds. */
function simulate(options: PlantSimulatorOptions, minutes: number, perBatch: number, stepS = 5): PlantEvent[] {
  const sim = new PlantSimulator({ startTime: new Date(START), ...options });
  const events: PlantEvent[] = [];
  for (let t = stepS; t <= minutes * 60; t += stepS) events.push(...sim.nextBatch(perBatch, new Date(START + t * 1000)));
  return events;
}

describe('PlantSimulator', () => {
  it('produces the same events for the same seed and different events for another seed', () => {
    const a = simulate({ seed: 'line-42', plants: 1, lines: 1 }, 20, 50);
    const b = simulate({ seed: 'line-42', plants: 1, lines: 1 }, 20, 50);
    const c = simulate({ seed: 'line-43', plants: 1, lines: 1 }, 20, 50);
    // Compared as JSON: jest's deep equality is slow on ~12,000 events.
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(c.map((e) => e.eventId)).not.toEqual(a.map((e) => e.eventId));
  });

  it('returns exactly the events asked for, valid against the contract, ingested at the batch time', () => {
    const sim = new PlantSimulator({ seed: 3 });
    const at = new Date(START + 60_000);
    sim.nextBatch(1, new Date(START));
    const batch = sim.nextBatch(777, at);
    expect(batch).toHaveLength(777);
    for (const event of batch) {
      expect(PlantEvent.safeParse(event).success).toBe(true);
      expect(event.ingestTime).toBe(at.toISOString());
      expect(Date.parse(event.eventTime)).toBeLessThanOrEqual(at.getTime());
    }
  });

  it('builds the default topology: enterprise acme, 2 plants × 3 lines × 6 assets, with a PI tag table', () => {
    const { topology } = new PlantSimulator();
    expect(topology.enterpriseId).toBe('acme');
    expect(topology.plants).toHaveLength(2);
    expect(topology.assets).toHaveLength(36);
    expect(new Set(topology.assets.map((a) => a.hierarchy.assetId)).size).toBe(36);
    expect(topology.tagTable.lookup('PLT1.L2.PRESS1.TEMP')).toMatchObject({ assetId: 'plt1-l2-press1', measure: 'process-temperature', unit: '°C' });
  });

  describe('over three simulated hours of one line', () => {
    let events: PlantEvent[];
    beforeAll(() => {
      events = simulate({ seed: 11, plants: 1, lines: 1 }, 180, 40);
    });
    const count = (pick: (e: PlantEvent) => string | undefined) => {
      const seen = new Map<string, number>();
      for (const e of events) {
        const k = pick(e);
        if (k) seen.set(k, (seen.get(k) ?? 0) + 1);
      }
      return seen;
    };

    it('emits events of all four sources and every event kind', () => {
      expect([...count((e) => e.source).keys()].sort()).toEqual(['ampla-iqt', 'citect-scada', 'das', 'pi-historian']);
      expect([...count((e) => e.kind).keys()].sort()).toEqual(['alarm', 'downtime', 'machine-state', 'measurement', 'production', 'quality']);
    });

    it('covers every machine state, downtime phase and alarm phase', () => {
      expect([...count((e) => (e.kind === 'machine-state' ? e.state : undefined)).keys()].sort()).toEqual(['down', 'idle', 'running']);
      expect([...count((e) => (e.kind === 'downtime' ? e.phase : undefined)).keys()].sort()).toEqual(['end', 'start']);
      expect([...count((e) => (e.kind === 'alarm' ? e.phase : undefined)).keys()].sort()).toEqual(['acknowledged', 'cleared', 'raised']);
      const idleReasons = count((e) => (e.kind === 'machine-state' && e.state === 'idle' ? e.reasonCode : undefined));
      expect(idleReasons.get('shift-change')).toBeGreaterThan(0);
    });

    it('counts production with scrap, never negative', () => {
      const production = events.filter((e) => e.kind === 'production');
      expect(production.reduce((s, e) => s + e.goodCount, 0)).toBeGreaterThan(1000);
      expect(production.reduce((s, e) => s + e.scrapCount, 0)).toBeGreaterThan(0);
    });

    it('gives distinct records distinct ids; only a closed downtime repeats its start event', () => {
      const byId = new Map<string, PlantEvent>();
      for (const e of events) {
        const prior = byId.get(e.eventId);
        if (prior) {
          expect({ ...prior, ingestTime: '' }).toEqual({ ...e, ingestTime: '' });
          expect(e).toMatchObject({ kind: 'downtime', phase: 'start' });
        }
        byId.set(e.eventId, e);
      }
    });
  });

  it('lets vibration, temperature or hydraulic pressure drift minutes before every drift failure', () => {
    // Faults start sooner than by default so that 2.5 simulated hours hold enough failures.
    const events = simulate({ seed: 5, plants: 1, lines: 1, dynamics: { failureOnsetMeanMinutes: 30 } }, 150, 48);
    const signalOf = { 'bearing-failure': 'vibration', overheat: 'temperature', 'hydraulic-leak': 'hydraulic-pressure' } as const;
    type Sample = { t: number; value: number; running: boolean };
    const samples = new Map<string, Sample[]>();
    const state = new Map<string, string>();
    const failures: { assetId: string; t: number; reason: keyof typeof signalOf }[] = [];
    const sorted = [...events].sort((a, b) => a.eventTime.localeCompare(b.eventTime));
    for (const e of sorted) {
      const t = Date.parse(e.eventTime);
      if (e.kind === 'machine-state') {
        state.set(e.assetId, e.state);
        if (e.state === 'down' && (DRIFT_FAILURE_REASONS as string[]).includes(e.reasonCode ?? '')) {
          failures.push({ assetId: e.assetId, t, reason: e.reasonCode as keyof typeof signalOf });
        }
      }
      if (e.kind === 'measurement') {
        const key = `${e.assetId}/${e.measure}`;
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key)!.push({ t, value: e.value, running: state.get(e.assetId) === 'running' });
      }
    }
    expect(failures.length).toBeGreaterThanOrEqual(4);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    for (const f of failures) {
      const series = samples.get(`${f.assetId}/${signalOf[f.reason]}`)!;
      const baseline = median(series.filter((s) => s.running).map((s) => s.value));
      const before = series.filter((s) => s.running && s.t < f.t && s.t >= f.t - 120_000).map((s) => s.value);
      expect(before.length).toBeGreaterThan(0);
      const shift = mean(before) - baseline;
      if (f.reason === 'bearing-failure') expect(shift).toBeGreaterThan(2.5);
      if (f.reason === 'overheat') expect(shift).toBeGreaterThan(8);
      if (f.reason === 'hydraulic-leak') expect(shift).toBeLessThan(-25);
    }
  });

  it('spoils the asked fraction of records, in every malformed way, and each one fails decoding', () => {
    const sim = new PlantSimulator({ seed: 9, malformedFraction: 0.05 });
    const records = Array.from({ length: 40 }, (_, i) => sim.nextRecords(500, new Date(START + i * 1000))).flat();
    const spoiled = records.filter((r) => r.malformed);
    // 20,000 draws at p = 0.05: mean 1,000, sd ≈ 31; ±150 is beyond 4.8 sd.
    expect(spoiled.length).toBeGreaterThan(850);
    expect(spoiled.length).toBeLessThan(1150);
    expect(new Set(spoiled.map((r) => r.malformed))).toEqual(new Set(MALFORMED_KINDS));
    const misjudged = records.filter((r) => decodePlantEvent(r.data).ok === !!r.malformed);
    expect(misjudged).toEqual([]);
  });

  it('refuses a malformed fraction outside 0-1 and an empty topology', () => {
    expect(() => new PlantSimulator({ malformedFraction: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => new PlantSimulator({ lines: 0 })).toThrow(/lines must be a whole number of at least 1/);
  });
});
