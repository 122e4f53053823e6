import { FAILURE_RISK_MODEL } from '@plant/config';
import { AssetHealthWindow } from '@plant/domain';
import { DRIFT_FAILURE_REASONS, PlantSimulator } from '@plant/simulator';

export interface LabelledSetOptions {
  seed: number;
  /** Simulated hours (the first 60 min only warm the windows up and give no rows). */
  hours: number;
  lines: number;
  assetsPerLine: number;
  /** Every sensor series of every asset is sampled this often (the feature sink sees the same stream). */
  sensorEverySeconds?: number;
  /** A row per running asset this often. */
  rowEveryMinutes?: number;
  startTime?: Date;
}

export interface LabelledRow {
  assetId: string;
  timeMs: number;
  /** FAILURE_RISK_MODEL.featureNames order; undefined where the window had no data. */
  values: (number | undefined)[];
  label: 0 | 1;
}

export interface LabelledSet {
  rows: LabelledRow[];
  assets: number;
  failures: number;
  fromMs: number;
  toMs: number;
}

const MINUTE = 60_000;
const WARM_UP_MS = 60 * MINUTE;
const DRIFT_REASONS = new Set<string>(DRIFT_FAILURE_REASONS);

/**
 * Runs the simulator in memory and folds its events through the same AssetHealthWindow the
 * stream-writer's feature sink uses, so the model learns from exactly the values it is served.
 * A row is an asset that is running at a sampling minute; its label is 1 when the asset goes down
 * with a drift-failure reason within FAILURE_RISK_MODEL.labelHorizonMinutes. Rows whose horizon
 * runs past the end of the simulation are dropped (their label is unknown). Deterministic per seed.
 */
export function generateLabelledSet(options: LabelledSetOptions): LabelledSet {
  const { seed, hours, lines, assetsPerLine, sensorEverySeconds = 60, rowEveryMinutes = 1 } = options;
  const start = options.startTime ?? new Date('2026-01-05T00:00:00Z');
  const simulator = new PlantSimulator({ seed, plants: 1, lines, assets: assetsPerLine, startTime: start });
  const assetCount = simulator.topology.assets.length;
  const windows = new Map<string, AssetHealthWindow>();
  const failures = new Map<string, number[]>();
  const pending: Omit<LabelledRow, 'label'>[] = [];
  const horizonMs = FAILURE_RISK_MODEL.labelHorizonMinutes * MINUTE;
  const endMs = start.getTime() + hours * 60 * MINUTE;
  const stepMs = sensorEverySeconds * 1000;
  // One sample of every series per step; the discrete records (a few per step) come on top.
  const perStep = assetCount * 8 + 8;
  let nextRowMs = start.getTime() + WARM_UP_MS;
  let failureCount = 0;

  for (let t = start.getTime() + stepMs; t <= endMs; t += stepMs) {
    for (const event of simulator.nextBatch(perStep, new Date(t))) {
      let window = windows.get(event.assetId);
      if (!window) {
        window = new AssetHealthWindow(event.assetId, event.lineId, event.plantId);
        windows.set(event.assetId, window);
      }
      window.apply(event);
      if (event.kind === 'downtime' && event.phase === 'start' && DRIFT_REASONS.has(event.reasonCode)) {
        const list = failures.get(event.assetId) ?? [];
        list.push(Date.parse(event.eventTime));
        failures.set(event.assetId, list);
        failureCount++;
      }
    }
    // Once per step, as the feature sink does once per batch: pruning walks the 60-minute window.
    for (const window of windows.values()) window.prune();
    if (t < nextRowMs) continue;
    nextRowMs += rowEveryMinutes * MINUTE;
    for (const window of windows.values()) {
      if (window.isDown) continue;
      const features = window.features();
      pending.push({ assetId: window.assetId, timeMs: t, values: FAILURE_RISK_MODEL.featureNames.map((name) => toNumber(features[name])) });
    }
  }

  const rows: LabelledRow[] = [];
  for (const row of pending) {
    if (row.timeMs + horizonMs > endMs) continue;
    const down = failures.get(row.assetId) ?? [];
    const label = down.some((f) => f > row.timeMs && f <= row.timeMs + horizonMs) ? 1 : 0;
    rows.push({ ...row, label });
  }
  return { rows, assets: assetCount, failures: failureCount, fromMs: start.getTime(), toMs: endMs };
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
