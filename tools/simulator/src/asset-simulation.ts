import type { MachineState } from '@plant/contracts';
import { AlarmMonitor, AlarmRule, AlarmTransition } from './alarm-monitor';
import { AssetDynamics, DRIFT_FAILURE_REASONS, FAILURE_MODES, FailureMode, ROUTINE_DEFECTS } from './asset-dynamics';
import { isoWithOffset, NativeRecord } from './native-record';
import type { Prng } from './prng';
import { PlannedStop, ShiftCalendar } from './shift-calendar';
import type { SimAsset } from './topology';

const AMBIENT_C = 24;
const MINUTE_MS = 60_000;

/** The true (noise-free) process values of an asset; sensors sample them with noise. */
export interface ProcessValues {
  bearingTemperature: number;
  processTemperature: number;
  vibration: number;
  motorCurrent: number;
  airPressure: number;
  hydraulicPressure: number;
  speed: number;
  power: number;
}

/** Gives each Ampla server (one per plant) its increasing record ids. */
export interface RecordIds {
  next(plantIndex: number): number;
}

interface StopPlan {
  state: MachineState;
  reason?: string;
  untilMs?: number;
}

/**
 * One simulated asset: its machine state, production, wear and the resulting sensor values, advanced
 * in fixed steps. It writes the discrete records its sources would emit (Citect state changes and
 * alarms, Ampla production/downtime/quality) into `out`; continuous sensors are sampled on demand.
 */
export class AssetSimulation {
  state: MachineState = 'running';
  reason?: string;
  private untilMs?: number;
  private readonly values: ProcessValues;
  private readonly base: { vibration: number; bearingTemperature: number; processTemperature: number; current: number; hydraulic: number };
  private wear = 0;
  private failureMode: FailureMode;
  private runningSinceRepairS = 0;
  private onsetAfterS: number;
  private driftS: number;
  private parts = 0;
  private good = 0;
  private scrap = 0;
  private lastReportMs: number;
  private downtime?: { recordId: number; startMs: number; cause: string };
  private readonly alarms: AlarmMonitor;
  private readonly alarmRules: AlarmRule[];

  constructor(
    readonly asset: SimAsset,
    private readonly prng: Prng,
    private readonly calendar: ShiftCalendar,
    private readonly dynamics: AssetDynamics,
    private readonly recordIds: RecordIds,
  ) {
    const p = asset.profile;
    this.base = {
      vibration: prng.uniform(1.6, 2.8),
      bearingTemperature: prng.uniform(40, 50),
      processTemperature: prng.uniform(35, 60),
      current: p.motorCurrentA * prng.uniform(0.9, 1.1),
      hydraulic: p.hydraulicBar * prng.uniform(0.95, 1.05),
    };
    this.values = {
      bearingTemperature: this.base.bearingTemperature,
      processTemperature: this.base.processTemperature,
      vibration: this.base.vibration,
      motorCurrent: this.base.current,
      airPressure: 6.2,
      hydraulicPressure: this.base.hydraulic,
      speed: 0,
      power: 0,
    };
    this.failureMode = prng.pick(DRIFT_FAILURE_REASONS);
    this.onsetAfterS = prng.exponential(dynamics.failureOnsetMeanMinutes * 60);
    this.driftS = prng.uniform(...dynamics.driftMinutes) * 60;
    this.lastReportMs = 0;
    this.alarms = new AlarmMonitor(prng.fork('operator'));
    const b = this.base;
    this.alarmRules = [
      { suffix: 'VIB_HI', priority: 2, description: 'Vibration high', raise: (v) => v > 6, clear: (v) => v < 5.4 },
      { suffix: 'VIB_HIHI', priority: 1, description: 'Vibration high-high', raise: (v) => v > 8, clear: (v) => v < 7.2 },
      { suffix: 'TEMP_HI', priority: 2, description: 'Bearing temperature high', raise: (v) => v > b.bearingTemperature + 15, clear: (v) => v < b.bearingTemperature + 12 },
      { suffix: 'TEMP_HIHI', priority: 1, description: 'Bearing temperature high-high', raise: (v) => v > b.bearingTemperature + 24, clear: (v) => v < b.bearingTemperature + 21 },
      { suffix: 'HYD_LO', priority: 2, description: 'Hydraulic pressure low', raise: (v) => v < b.hydraulic - 40, clear: (v) => v > b.hydraulic - 30 },
    ];
  }

  get processValues(): Readonly<ProcessValues> {
    return this.values;
  }

  /**
   * Starts the asset at `timeMs`: the SCADA connector's first poll reports every state tag, and
   * Ampla's sample periods of the assets are staggered so reports do not all land in one second.
   */
  begin(timeMs: number, out: NativeRecord[]): void {
    this.lastReportMs = timeMs - Math.floor(this.prng.uniform(0, this.dynamics.productionIntervalSeconds)) * 1000;
    out.push(this.citect({ type: 'tag-state', tag: `${this.asset.citectTagPrefix}_STATE`, equipment: this.asset.dottedPath, value: stateCode({ state: this.state, reason: this.reason }), time: this.localTime(timeMs) }));
  }

  /** Advances the asset by `dtS` seconds to `timeMs`, appending the discrete source records it emits. */
  step(timeMs: number, dtS: number, out: NativeRecord[]): void {
    const shift = this.calendar.at(timeMs);
    const planned = this.plannedTransition(timeMs, shift.plannedStop);
    if (planned) this.transition(planned, timeMs, out);
    else if (this.state === 'running') this.run(timeMs, dtS, shift.shiftId === 'night', out);
    this.updateProcessValues(dtS);
    this.evaluateAlarms(timeMs, out);
    if (timeMs - this.lastReportMs >= this.dynamics.productionIntervalSeconds * 1000) this.reportProduction(timeMs, out);
  }

  /** The one state change due now from timed stops ending and the shift calendar, if any. */
  private plannedTransition(timeMs: number, plannedStop: PlannedStop | undefined): StopPlan | undefined {
    const stopEnded = this.state !== 'running' && this.untilMs !== undefined && timeMs >= this.untilMs;
    if (stopEnded && this.state === 'down' && this.reason && this.reason in FAILURE_MODES) this.repaired();
    const free = stopEnded || this.state === 'running' || this.isPlannedStop();
    if (!free) return undefined;
    const next: StopPlan = plannedStop ? { state: 'idle', reason: plannedStop } : { state: 'running' };
    return next.state === this.state && next.reason === this.reason && !stopEnded ? undefined : next;
  }

  private isPlannedStop(): boolean {
    return this.state === 'idle' && (this.reason === 'shift-change' || this.reason === 'break');
  }

  private run(timeMs: number, dtS: number, nightShift: boolean, out: NativeRecord[]): void {
    const d = this.dynamics;
    this.runningSinceRepairS += dtS;
    if (this.runningSinceRepairS >= this.onsetAfterS) this.wear = Math.min(1, this.wear + dtS / this.driftS);
    if (this.wear >= 1 && this.tripped()) {
      this.transition({ state: 'down', reason: this.failureMode, untilMs: timeMs + this.minutes(d.repairMinutes) }, timeMs, out);
      return;
    }
    const p = this.prng;
    if (p.chance(dtS / (d.jamMeanMinutes * 60))) return this.transition({ state: 'down', reason: 'jam', untilMs: timeMs + this.minutes(d.jamMinutes) }, timeMs, out);
    if (p.chance(dtS / (d.toolChangeMeanMinutes * 60))) {
      return this.transition({ state: 'down', reason: 'tool-change', untilMs: timeMs + this.minutes(d.toolChangeMinutes) }, timeMs, out);
    }
    if (p.chance(dtS / (d.starvedBlockedMeanMinutes * 60))) {
      const reason = p.chance(0.5) ? 'starved' : 'blocked';
      return this.transition({ state: 'idle', reason, untilMs: timeMs + this.minutes(d.starvedBlockedMinutes) }, timeMs, out);
    }
    this.produce(timeMs, dtS, nightShift, out);
  }

  /**
   * A worn asset goes down when its protection trips: the fault's own signal has moved 90 % of
   * its way (vibration, thermal or low-pressure trip). So a failure never follows a cold restart
   * without its signal showing first, as with real protection relays.
   */
  private tripped(): boolean {
    const mode = FAILURE_MODES[this.failureMode];
    const v = this.values;
    const b = this.base;
    switch (this.failureMode) {
      case 'bearing-failure':
        return v.vibration - b.vibration >= 0.9 * mode.vibration;
      case 'overheat':
        return v.bearingTemperature - b.bearingTemperature >= 0.9 * mode.bearingTemperature;
      case 'hydraulic-leak':
        return v.hydraulicPressure - b.hydraulic <= 0.9 * mode.hydraulic;
    }
  }

  private produce(timeMs: number, dtS: number, nightShift: boolean, out: NativeRecord[]): void {
    const performance = (nightShift ? 0.88 : 0.93) * (1 - 0.1 * this.wear);
    this.parts += (dtS / this.asset.profile.idealCycleSeconds) * performance;
    let scrapNow = 0;
    while (this.parts >= 1) {
      this.parts -= 1;
      if (this.prng.chance(0.01 + 0.12 * this.wear)) scrapNow++;
      else this.good++;
    }
    this.scrap += scrapNow;
    if (scrapNow > 0 && this.prng.chance(0.6)) {
      const defectCode = this.wear > 0.3 ? FAILURE_MODES[this.failureMode].defect : this.prng.pick(ROUTINE_DEFECTS);
      out.push(this.ampla({ module: 'quality', recordId: this.recordIds.next(this.asset.plantIndex), location: this.asset.dottedPath, sampleTime: iso(timeMs), defectCode, defectCount: scrapNow }));
    }
  }

  private reportProduction(timeMs: number, out: NativeRecord[]): void {
    if (this.good + this.scrap > 0) {
      out.push(
        this.ampla({
          module: 'production',
          recordId: this.recordIds.next(this.asset.plantIndex),
          location: this.asset.dottedPath,
          sampleTime: iso(timeMs),
          goodQuantity: this.good,
          rejectQuantity: this.scrap,
          idealCycleTimeSeconds: this.asset.profile.idealCycleSeconds,
        }),
      );
    }
    this.good = 0;
    this.scrap = 0;
    this.lastReportMs = timeMs;
  }

  private transition(next: StopPlan, timeMs: number, out: NativeRecord[]): void {
    const alarmsOut: AlarmTransition[] = [];
    if (this.state === 'down' && this.downtime) {
      const { recordId, startMs, cause } = this.downtime;
      out.push(this.ampla({ module: 'downtime', recordId, location: this.asset.dottedPath, startTime: iso(startMs), endTime: iso(timeMs), causeCode: cause }));
      this.downtime = undefined;
      this.alarms.clear('FAULT', timeMs, alarmsOut);
    }
    this.state = next.state;
    this.reason = next.reason;
    this.untilMs = next.untilMs;
    out.push(this.citect({ type: 'tag-state', tag: `${this.asset.citectTagPrefix}_STATE`, equipment: this.asset.dottedPath, value: stateCode(next), time: this.localTime(timeMs), ...(next.reason ? { cause: next.reason } : {}) }));
    if (next.state === 'down' && next.reason) {
      this.downtime = { recordId: this.recordIds.next(this.asset.plantIndex), startMs: timeMs, cause: next.reason };
      out.push(this.ampla({ module: 'downtime', recordId: this.downtime.recordId, location: this.asset.dottedPath, startTime: iso(timeMs), endTime: null, causeCode: next.reason }));
      if (next.reason !== 'tool-change') this.alarms.raise('FAULT', next.reason === 'jam' ? 3 : 1, `Machine fault: ${next.reason}`, timeMs, alarmsOut);
    }
    this.emitAlarms(alarmsOut, timeMs, out);
  }

  private repaired(): void {
    this.wear = 0;
    this.runningSinceRepairS = 0;
    this.failureMode = this.prng.pick(DRIFT_FAILURE_REASONS);
    this.onsetAfterS = this.prng.exponential(this.dynamics.failureOnsetMeanMinutes * 60);
    this.driftS = this.prng.uniform(...this.dynamics.driftMinutes) * 60;
  }

  /** First-order lags towards the targets of the current state and wear (temperatures move slowly). */
  private updateProcessValues(dtS: number): void {
    const v = this.values;
    const b = this.base;
    const w = this.wear;
    const mode = FAILURE_MODES[this.failureMode];
    const running = this.state === 'running';
    const leaking = this.failureMode === 'hydraulic-leak' && w > 0;
    const target = {
      vibration: running ? b.vibration + mode.vibration * w ** 1.5 : this.state === 'idle' ? 0.3 : 0.05,
      bearingTemperature: running ? b.bearingTemperature + mode.bearingTemperature * w : AMBIENT_C + 4,
      processTemperature: running ? b.processTemperature + mode.processTemperature * w : AMBIENT_C + 6,
      motorCurrent: running ? b.current * (1 + mode.current * w) : this.state === 'idle' ? b.current * 0.1 : 0,
      hydraulicPressure: leaking ? b.hydraulic + mode.hydraulic * w : b.hydraulic * (running ? 1 : 0.97),
    };
    const lag = (current: number, goal: number, tauS: number) => current + (goal - current) * (1 - Math.exp(-dtS / tauS));
    v.vibration = lag(v.vibration, target.vibration, 5);
    v.bearingTemperature = lag(v.bearingTemperature, target.bearingTemperature, 90);
    v.processTemperature = lag(v.processTemperature, target.processTemperature, 120);
    v.motorCurrent = lag(v.motorCurrent, target.motorCurrent, 3);
    v.hydraulicPressure = lag(v.hydraulicPressure, target.hydraulicPressure, 10);
    v.speed = running ? (60 / this.asset.profile.idealCycleSeconds) * (1 - 0.1 * w) : 0;
    v.power = v.motorCurrent * 0.6;
  }

  private evaluateAlarms(timeMs: number, out: NativeRecord[]): void {
    const transitions: AlarmTransition[] = [];
    const v = this.values;
    const valueOf: Record<string, number> = {
      VIB_HI: v.vibration,
      VIB_HIHI: v.vibration,
      TEMP_HI: v.bearingTemperature,
      TEMP_HIHI: v.bearingTemperature,
      HYD_LO: v.hydraulicPressure,
    };
    for (const rule of this.alarmRules) this.alarms.evaluate(rule, valueOf[rule.suffix], timeMs, transitions);
    this.alarms.acknowledgeDue(timeMs, transitions);
    this.emitAlarms(transitions, timeMs, out);
  }

  private emitAlarms(transitions: AlarmTransition[], timeMs: number, out: NativeRecord[]): void {
    for (const t of transitions) {
      out.push(
        this.citect({
          type: 'alarm',
          tag: `${this.asset.citectTagPrefix}_${t.suffix}`,
          equipment: this.asset.dottedPath,
          state: t.state,
          onTime: this.localTime(t.onMs),
          time: this.localTime(timeMs),
          priority: t.priority,
          description: t.description,
        }),
      );
    }
  }

  private minutes([min, max]: [number, number]): number {
    return Math.round(this.prng.uniform(min, max) * MINUTE_MS);
  }

  private localTime(ms: number): string {
    return isoWithOffset(ms, this.asset.utcOffsetMinutes);
  }

  private ampla(payload: Extract<NativeRecord, { source: 'ampla-iqt' }>['payload']): NativeRecord {
    return { source: 'ampla-iqt', assetId: this.asset.hierarchy.assetId, payload };
  }

  private citect(payload: Extract<NativeRecord, { source: 'citect-scada' }>['payload']): NativeRecord {
    return { source: 'citect-scada', assetId: this.asset.hierarchy.assetId, payload };
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Citect PLC state codes (see CITECT_STATE_CODES in @plant/contracts). */
function stateCode(plan: StopPlan): number {
  switch (plan.state) {
    case 'running':
      return 1;
    case 'idle':
      return plan.reason === 'starved' ? 3 : plan.reason === 'blocked' ? 4 : 0;
    case 'down':
      return plan.reason === 'tool-change' ? 5 : 2;
  }
}
