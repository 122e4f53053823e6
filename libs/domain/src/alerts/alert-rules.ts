import { createHash } from 'node:crypto';
import type { AlarmEvent, MachineStateEvent, MeasurementEvent, PlantEvent } from '@plant/contracts';
import { ASSET_STATE_LIMITS, type AssetState } from '../assets/asset-state';
import type { Alert, AlertSeverity } from './alert.model';

/** A measured value outside [below, above] (either bound optional). */
export interface ThresholdRule {
  kind: 'threshold';
  ruleId: string;
  measure: string;
  above?: number;
  below?: number;
  severity: AlertSeverity;
}

/** A measured value changing faster than `maxPerSecond` (absolute) between two readings. */
export interface RateOfChangeRule {
  kind: 'rate-of-change';
  ruleId: string;
  measure: string;
  maxPerSecond: number;
  severity: AlertSeverity;
}

/** The machine state went to `down`; cleared when it leaves `down`. */
export interface MachineDownRule {
  kind: 'machine-down';
  ruleId: string;
  severity: AlertSeverity;
}

/** Citect SCADA alarms, mapped one to one (raised, acknowledged, cleared); severity from priority 1–4. */
export interface ScadaAlarmRule {
  kind: 'scada-alarm';
  ruleId: string;
  severityByPriority: Record<1 | 2 | 3 | 4, AlertSeverity>;
}

export type AlertRule = ThresholdRule | RateOfChangeRule | MachineDownRule | ScadaAlarmRule;

/** The platform's default rules (DAS sensor names as the simulator emits them). */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { kind: 'threshold', ruleId: 'temperature-high', measure: 'temperature', above: 90, severity: 'major' },
  { kind: 'threshold', ruleId: 'temperature-critical', measure: 'temperature', above: 110, severity: 'critical' },
  { kind: 'threshold', ruleId: 'vibration-high', measure: 'vibration', above: 7.1, severity: 'major' },
  { kind: 'threshold', ruleId: 'current-high', measure: 'current', above: 40, severity: 'minor' },
  { kind: 'rate-of-change', ruleId: 'temperature-rising-fast', measure: 'temperature', maxPerSecond: 2, severity: 'minor' },
  { kind: 'machine-down', ruleId: 'machine-down', severity: 'major' },
  { kind: 'scada-alarm', ruleId: 'scada-alarm', severityByPriority: { 1: 'critical', 2: 'major', 3: 'minor', 4: 'info' } },
];

/**
 * Deterministic alert id: the rule, the asset and the event that raised it. A replayed batch raises
 * the same ids, so stores and subscribers can recognise the duplicates.
 */
export function alertIdOf(ruleKey: string, assetId: string, raisingEventId: string): string {
  return createHash('sha1').update(JSON.stringify([ruleKey, assetId, raisingEventId])).digest('hex').slice(0, 32);
}

/**
 * Evaluates every rule against one event of an asset, BEFORE the event is folded into the state
 * (rate of change needs the previous reading). Mutates `state.openAlerts` and returns the alert
 * changes in order. An alert already open under a rule key is not raised again; it clears when the
 * condition ends. Readings of quality `bad` raise and clear nothing.
 */
export function applyAlertRules(state: AssetState, event: PlantEvent, rules: readonly AlertRule[]): Alert[] {
  const changes: Alert[] = [];
  for (const rule of rules) {
    switch (rule.kind) {
      case 'threshold':
        if (event.kind === 'measurement' && event.measure === rule.measure && event.quality !== 'bad') {
          const outside = (rule.above !== undefined && event.value > rule.above) || (rule.below !== undefined && event.value < rule.below);
          const limit = rule.above !== undefined && event.value > rule.above ? `above ${rule.above}` : `below ${rule.below}`;
          track(changes, state, rule.ruleId, rule.ruleId, event, outside, rule.severity, () => `${event.measure} ${event.value}${unit(event)} ${limit}`);
        }
        break;
      case 'rate-of-change':
        if (event.kind === 'measurement' && event.measure === rule.measure && event.quality !== 'bad') {
          const rate = ratePerSecond(state, event);
          if (rate !== undefined) {
            track(changes, state, rule.ruleId, rule.ruleId, event, Math.abs(rate) > rule.maxPerSecond, rule.severity, () =>
              `${event.measure} changing ${round(rate)}${unit(event)}/s, faster than ${rule.maxPerSecond}/s`,
            );
          }
        }
        break;
      case 'machine-down':
        if (event.kind === 'machine-state') {
          track(changes, state, rule.ruleId, rule.ruleId, event, event.state === 'down', rule.severity, () => downMessage(event));
        }
        break;
      case 'scada-alarm':
        if (event.kind === 'alarm') scadaAlarm(changes, state, rule, event);
        break;
    }
  }
  return changes;
}

function track(
  changes: Alert[],
  state: AssetState,
  ruleKey: string,
  ruleId: string,
  event: MeasurementEvent | MachineStateEvent,
  active: boolean,
  severity: AlertSeverity,
  message: () => string,
): void {
  const open = state.openAlerts[ruleKey];
  const value = event.kind === 'measurement' ? event.value : undefined;
  if (active && !open) {
    const alert = raise(state, ruleKey, ruleId, event, severity, message(), value);
    changes.push(alert);
  } else if (!active && open) {
    changes.push(clear(state, ruleKey, event.eventTime));
  }
}

function raise(
  state: AssetState,
  ruleKey: string,
  ruleId: string,
  event: PlantEvent,
  severity: AlertSeverity,
  message: string,
  value?: number,
): Alert {
  const { enterpriseId, plantId, lineId, assetId } = state.hierarchy;
  const alert: Alert = {
    alertId: alertIdOf(ruleKey, assetId, event.eventId),
    ruleId,
    enterpriseId,
    plantId,
    lineId,
    assetId,
    severity,
    status: 'open',
    message,
    ...(value !== undefined ? { value } : {}),
    raisedAt: event.eventTime,
    updatedAt: event.eventTime,
  };
  state.openAlerts[ruleKey] = alert;
  return { ...alert };
}

function clear(state: AssetState, ruleKey: string, at: string): Alert {
  const cleared: Alert = { ...state.openAlerts[ruleKey], status: 'cleared', clearedAt: at, updatedAt: at };
  delete state.openAlerts[ruleKey];
  return cleared;
}

function scadaAlarm(changes: Alert[], state: AssetState, rule: ScadaAlarmRule, event: AlarmEvent): void {
  const ruleKey = `${rule.ruleId}:${event.alarmId}`;
  const open = state.openAlerts[ruleKey];
  switch (event.phase) {
    case 'raised':
      if (!open && openScadaAlarms(state, rule.ruleId) < ASSET_STATE_LIMITS.openScadaAlarms) {
        const severity = rule.severityByPriority[event.priority as 1 | 2 | 3 | 4];
        changes.push(raise(state, ruleKey, rule.ruleId, event, severity, `${event.tag}: ${event.message}`));
      }
      break;
    case 'acknowledged':
      if (open && open.status === 'open') {
        const acknowledged: Alert = { ...open, status: 'acknowledged', acknowledgedAt: event.eventTime, acknowledgedBy: 'scada', updatedAt: event.eventTime };
        state.openAlerts[ruleKey] = acknowledged;
        changes.push({ ...acknowledged });
      }
      break;
    case 'cleared':
      if (open) changes.push(clear(state, ruleKey, event.eventTime));
      break;
  }
}

function openScadaAlarms(state: AssetState, ruleId: string): number {
  return Object.keys(state.openAlerts).filter((key) => key.startsWith(`${ruleId}:`)).length;
}

function ratePerSecond(state: AssetState, event: MeasurementEvent): number | undefined {
  const previous = state.sensors[event.measure];
  if (!previous || previous.quality === 'bad') return undefined;
  const seconds = (Date.parse(event.eventTime) - Date.parse(previous.at)) / 1000;
  return seconds > 0 ? (event.value - previous.value) / seconds : undefined;
}

function downMessage(event: MachineStateEvent): string {
  return event.reasonCode ? `machine down (reason ${event.reasonCode})` : 'machine down';
}

const unit = (event: MeasurementEvent) => (event.unit ? ` ${event.unit}` : '');
const round = (value: number) => Math.round(value * 1000) / 1000;
