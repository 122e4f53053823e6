import type { Prng } from './prng';

/** One threshold alarm of an asset as configured in SCADA, with hysteresis so noise does not chatter. */
export interface AlarmRule {
  suffix: string;
  priority: number;
  description: string;
  /** Raised when this is true of the true process value... */
  raise: (value: number) => boolean;
  /** ...and cleared when this is. */
  clear: (value: number) => boolean;
}

export interface AlarmTransition {
  suffix: string;
  state: 'ON' | 'ACK' | 'OFF';
  onMs: number;
  priority: number;
  description: string;
}

interface ActiveAlarm {
  onMs: number;
  ackDueMs: number;
  acked: boolean;
  priority: number;
  description: string;
}

/**
 * The SCADA alarm state of one asset: threshold alarms raised and cleared by process values,
 * fault alarms raised and cleared by the machine, and an operator who acknowledges each alarm
 * 15-120 s after it went ON (Citect keeps a cleared alarm unacknowledged, so no ACK follows OFF).
 */
export class AlarmMonitor {
  private readonly active = new Map<string, ActiveAlarm>();

  constructor(private readonly prng: Prng) {}

  evaluate(rule: AlarmRule, value: number, timeMs: number, out: AlarmTransition[]): void {
    const alarm = this.active.get(rule.suffix);
    if (!alarm && rule.raise(value)) this.raise(rule.suffix, rule.priority, `${rule.description} (${value.toFixed(1)})`, timeMs, out);
    else if (alarm && rule.clear(value)) this.clear(rule.suffix, timeMs, out);
  }

  raise(suffix: string, priority: number, description: string, timeMs: number, out: AlarmTransition[]): void {
    if (this.active.has(suffix)) return;
    const ackDueMs = timeMs + Math.round(this.prng.uniform(15, 120)) * 1000;
    this.active.set(suffix, { onMs: timeMs, ackDueMs, acked: false, priority, description });
    out.push({ suffix, state: 'ON', onMs: timeMs, priority, description });
  }

  clear(suffix: string, _timeMs: number, out: AlarmTransition[]): void {
    const alarm = this.active.get(suffix);
    if (!alarm) return;
    this.active.delete(suffix);
    out.push({ suffix, state: 'OFF', onMs: alarm.onMs, priority: alarm.priority, description: alarm.description });
  }

  acknowledgeDue(timeMs: number, out: AlarmTransition[]): void {
    for (const [suffix, alarm] of this.active) {
      if (!alarm.acked && alarm.ackDueMs <= timeMs) {
        alarm.acked = true;
        out.push({ suffix, state: 'ACK', onMs: alarm.onMs, priority: alarm.priority, description: alarm.description });
      }
    }
  }
}
