import type { Hierarchy, MachineState } from '@plant/contracts';
import type { Alert } from '../alerts/alert.model';
import type { AssetStatus, SensorValue } from '../kpi/kpi.model';

export interface OpenDowntime {
  reasonCode: string;
  since: string;
}

/**
 * Everything the router must remember about one asset between batches: the state that time
 * accounting and the alert rules continue from. Stored with the asset's status and written LAST
 * for a batch, after every other sink acknowledged: a crash before that write leaves the old state,
 * so a replay recomputes exactly the same contributions (see docs/stream-writer-sinks.md).
 */
export interface AssetState {
  hierarchy: Hierarchy;
  machineState: MachineState;
  stateSince: string;
  stateReasonCode?: string;
  /** Ampla downtime periods started and not yet ended, by downtimeId. */
  openDowntimes: Record<string, OpenDowntime>;
  /** Time is attributed to run/idle/down up to here; undefined before the first event. */
  accountedUntilMs?: number;
  sensors: Record<string, SensorValue>;
  /** Alerts open or acknowledged, by rule key (see alert-rules.ts). */
  openAlerts: Record<string, Alert>;
  lastEventTime: string;
  /** Per shard: padded sequence number of the last event applied to this state. */
  shardMarks: Record<string, string>;
  /** Incremented on every write; stores use it for optimistic concurrency. */
  version: number;
}

/**
 * What one asset's state keeps at most, so that its stored item stays within DynamoDB's 400 KB
 * whatever the events: with every bound reached and every string at its contract maximum (128
 * characters of 3 UTF-8 bytes) the item measured 240 KB (libs/adapters/test/kpi-store-limits.int-spec.ts),
 * a few KB in practice. Beyond a bound (deterministic, so a
 * replay plans the same): a reading of a further measure is not kept as a latest sensor value (its
 * trend point is written as usual; rate-of-change rules cannot evaluate it); the start of a further
 * downtime is not recorded (the asset is down anyway while the others are open); a further SCADA
 * alarm raises no alert until one of the open ones clears (the alarm stays in the raw zone).
 */
export const ASSET_STATE_LIMITS = { sensors: 100, openDowntimes: 50, openScadaAlarms: 24 } as const;

/** The first event of an asset starts its state; it is assumed running until an event says otherwise. */
export function initialAssetState(hierarchy: Hierarchy, eventTime: string): AssetState {
  return {
    hierarchy: { ...hierarchy },
    machineState: 'running',
    stateSince: eventTime,
    openDowntimes: {},
    sensors: {},
    openAlerts: {},
    lastEventTime: eventTime,
    shardMarks: {},
    version: 0,
  };
}

export function cloneAssetState(state: AssetState): AssetState {
  return structuredClone(state);
}

/** The read model of an asset's current status (what the kpi-subgraph serves). */
export function assetStatusOf(state: AssetState, updatedAt: string): AssetStatus {
  return {
    hierarchy: state.hierarchy,
    state: state.machineState,
    stateSince: state.stateSince,
    ...(state.stateReasonCode !== undefined ? { stateReasonCode: state.stateReasonCode } : {}),
    sensors: Object.values(state.sensors).sort((a, b) => a.measure.localeCompare(b.measure)),
    lastEventTime: state.lastEventTime,
    updatedAt,
  };
}
