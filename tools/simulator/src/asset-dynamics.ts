/**
 * The knobs of the plant model, in minutes of simulated time. Defaults give each asset a
 * drift-preceded failure every ~2 hours of running and a few short stops per shift.
 */
export interface AssetDynamics {
  /** Mean running time from a repair until a developing fault starts to show (exponential). */
  failureOnsetMeanMinutes: number;
  /** How long the fault drifts (vibration, temperature or pressure moving) before the asset goes down. */
  driftMinutes: [min: number, max: number];
  repairMinutes: [min: number, max: number];
  /** Mean running time between jams (down, no drift: nothing precedes them). */
  jamMeanMinutes: number;
  jamMinutes: [min: number, max: number];
  toolChangeMeanMinutes: number;
  toolChangeMinutes: [min: number, max: number];
  /** Mean running time between starved/blocked idles caused by neighbouring stations. */
  starvedBlockedMeanMinutes: number;
  starvedBlockedMinutes: [min: number, max: number];
  /** How often Ampla closes a production sample per asset. */
  productionIntervalSeconds: number;
}

export const DEFAULT_DYNAMICS: AssetDynamics = {
  failureOnsetMeanMinutes: 100,
  driftMinutes: [8, 20],
  repairMinutes: [6, 20],
  jamMeanMinutes: 150,
  jamMinutes: [1, 5],
  toolChangeMeanMinutes: 240,
  toolChangeMinutes: [4, 10],
  starvedBlockedMeanMinutes: 60,
  starvedBlockedMinutes: [1, 6],
  productionIntervalSeconds: 30,
};

/**
 * Failures that develop: each moves its own signals as wear w goes 0 → 1 before the asset goes
 * down, so a model can learn to predict them. Jams and tool changes have no precursor.
 */
export const FAILURE_MODES = {
  'bearing-failure': { vibration: 6, bearingTemperature: 12, current: 0.05, hydraulic: 0, processTemperature: 3, defect: 'chatter-marks' },
  overheat: { vibration: 0.8, bearingTemperature: 28, current: 0.2, hydraulic: 0, processTemperature: 8, defect: 'heat-discoloration' },
  'hydraulic-leak': { vibration: 1, bearingTemperature: 4, current: 0.1, hydraulic: -70, processTemperature: 10, defect: 'incomplete-form' },
} as const;
export type FailureMode = keyof typeof FAILURE_MODES;
export const DRIFT_FAILURE_REASONS = Object.keys(FAILURE_MODES) as FailureMode[];

export const ROUTINE_DEFECTS = ['burr', 'dimension', 'surface-scratch'] as const;
