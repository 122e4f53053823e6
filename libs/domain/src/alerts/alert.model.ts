/** Alerts raised by the stream-writer's rules (thresholds, rate of change, machine state, SCADA alarms). */
export const ALERT_SEVERITIES = ['info', 'minor', 'major', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export type AlertStatus = 'open' | 'acknowledged' | 'cleared';

export interface Alert {
  /** Deterministic from rule + asset + the raising event: replays do not raise duplicates. */
  alertId: string;
  ruleId: string;
  enterpriseId: string;
  plantId: string;
  lineId: string;
  assetId: string;
  severity: AlertSeverity;
  status: AlertStatus;
  message: string;
  /** The measured value that crossed the rule, when there is one. */
  value?: number;
  raisedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  clearedAt?: string;
  updatedAt: string;
}

export function severityRank(severity: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(severity);
}
