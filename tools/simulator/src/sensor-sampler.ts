import type { DasSensor } from '@plant/contracts';
import type { AssetSimulation, ProcessValues } from './asset-simulation';
import type { NativeRecord } from './native-record';
import type { Prng } from './prng';
import { PI_POINTS } from './topology';

/** A continuously sampled signal of an asset: a DAS channel or a PI point. */
export type SensorSeries =
  | { source: 'das'; sensor: DasSensor; channel: number; from: keyof ProcessValues; noise: number }
  | { source: 'pi-historian'; suffix: (typeof PI_POINTS)[number]['suffix']; from: keyof ProcessValues; noise: number };

export const SERIES_PER_ASSET: readonly SensorSeries[] = [
  { source: 'das', sensor: 'temperature', channel: 0, from: 'bearingTemperature', noise: 0.3 },
  { source: 'das', sensor: 'vibration', channel: 1, from: 'vibration', noise: 0.12 },
  { source: 'das', sensor: 'motor-current', channel: 2, from: 'motorCurrent', noise: 0.4 },
  { source: 'das', sensor: 'pressure', channel: 3, from: 'airPressure', noise: 0.05 },
  { source: 'pi-historian', suffix: 'TEMP', from: 'processTemperature', noise: 0.3 },
  { source: 'pi-historian', suffix: 'SPEED', from: 'speed', noise: 0.05 },
  { source: 'pi-historian', suffix: 'POWER', from: 'power', noise: 0.3 },
  { source: 'pi-historian', suffix: 'HYD_PRESS', from: 'hydraulicPressure', noise: 1.2 },
];

const IMPERIAL: Partial<Record<DasSensor, { unit: string; convert: (v: number) => number }>> = {
  temperature: { unit: '°F', convert: (c) => (c * 9) / 5 + 32 },
  vibration: { unit: 'in/s', convert: (mm) => mm / 25.4 },
  pressure: { unit: 'psi', convert: (bar) => bar / 0.0689475729 },
};
const METRIC: Record<DasSensor, string> = { temperature: '°C', vibration: 'mm/s', 'motor-current': 'A', pressure: 'bar' };

/** Reads one series of an asset at `timeMs` the way its source would report it (units, quality flags). */
export function sampleSeries(sim: AssetSimulation, series: SensorSeries, timeMs: number, prng: Prng): NativeRecord {
  const truth = sim.processValues[series.from];
  // A stopped drive reads a clean zero; a running one carries measurement noise.
  const value = truth === 0 ? 0 : Math.max(0, prng.normal(truth, series.noise));
  const asset = sim.asset;
  if (series.source === 'das') {
    const imperial = asset.dasImperialUnits ? IMPERIAL[series.sensor] : undefined;
    const roll = prng.next();
    return {
      source: 'das',
      assetId: asset.hierarchy.assetId,
      payload: {
        deviceId: asset.dasDeviceId,
        channel: series.channel,
        assetRef: asset.slashPath,
        sensor: series.sensor,
        value: round(imperial ? imperial.convert(value) : value, 3),
        unit: imperial ? imperial.unit : METRIC[series.sensor],
        sampledAtMs: timeMs,
        status: roll < 0.0005 ? 'sensor-fault' : roll < 0.0015 ? 'out-of-range' : 'ok',
      },
    };
  }
  const roll = prng.next();
  return {
    source: 'pi-historian',
    assetId: asset.hierarchy.assetId,
    payload: {
      tag: `${asset.piTagPrefix}.${series.suffix}`,
      Timestamp: new Date(timeMs).toISOString(),
      Value: round(value, 3),
      Good: roll >= 0.0005,
      Questionable: roll >= 0.0005 && roll < 0.0025,
      Substituted: false,
    },
  };
}

function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}
