import type { Hierarchy, MachineState } from '@plant/contracts';

/**
 * KPI read model shared by the stream-writer (writes it) and the kpi-subgraph (serves it).
 * OEE = availability × performance × quality, computed per asset and per line over windows.
 */
export const KPI_WINDOWS = ['1m', '15m', 'shift', 'day'] as const;
export type KpiWindow = (typeof KPI_WINDOWS)[number];

export interface DowntimeByReason {
  reasonCode: string;
  seconds: number;
}

export interface KpiFigures {
  /** run time / planned production time, 0..1 */
  availability: number;
  /** ideal cycle time × total count / run time, 0..1 */
  performance: number;
  /** good count / total count, 0..1 */
  quality: number;
  /** availability × performance × quality, 0..1 */
  oee: number;
  goodCount: number;
  scrapCount: number;
  /** good parts per hour over the window so far */
  throughputPerHour: number;
  runSeconds: number;
  downtimeSeconds: number;
  downtimeByReason: DowntimeByReason[];
}

export type KpiScope = 'asset' | 'line' | 'plant';

/** The figures of one asset, line or plant over one window instance (e.g. the 15 min from 08:15). */
export interface KpiSnapshot {
  scope: KpiScope;
  /** assetId, lineId or plantId according to scope */
  scopeId: string;
  hierarchy: Omit<Hierarchy, 'assetId' | 'lineId'> & { lineId?: string; assetId?: string };
  window: KpiWindow;
  windowStart: string;
  windowEnd: string;
  figures: KpiFigures;
  /** event time of the newest event folded in */
  lastEventTime: string;
  updatedAt: string;
}

export interface SensorValue {
  measure: string;
  value: number;
  unit?: string;
  quality: 'good' | 'uncertain' | 'bad';
  at: string;
}

/** Current state of one asset: machine state and latest sensor values. */
export interface AssetStatus {
  hierarchy: Hierarchy;
  state: MachineState;
  stateSince: string;
  stateReasonCode?: string;
  sensors: SensorValue[];
  lastEventTime: string;
  updatedAt: string;
}

/** Directory entries of the hierarchy, as the KPI store learns them from events. */
export interface PlantInfo {
  enterpriseId: string;
  plantId: string;
}
export interface LineInfo extends PlantInfo {
  lineId: string;
}
export type AssetInfo = Hierarchy;
