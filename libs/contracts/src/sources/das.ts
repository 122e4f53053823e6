import { z } from 'zod';
import type { PlantEvent } from '../plant-event';
import { buildEvent, Clock, hierarchyFromPath, hierarchyPath, NormalisationError, parsePayload, SourceNormaliser, systemClock } from './source-normaliser';

const SOURCE = 'das' as const;

export const DAS_SENSORS = ['temperature', 'vibration', 'motor-current', 'pressure'] as const;
export type DasSensor = (typeof DAS_SENSORS)[number];

/**
 * Units a DAS device may report per sensor, each with its conversion to the platform's canonical
 * unit (the first entry). Devices from different vendors report °F, psi or in/s; consumers compare
 * readings across assets, so events always carry the canonical unit.
 */
export const DAS_UNITS: Record<DasSensor, Record<string, (v: number) => number>> = {
  temperature: { '°C': (v) => v, degC: (v) => v, '°F': (v) => ((v - 32) * 5) / 9, degF: (v) => ((v - 32) * 5) / 9, K: (v) => v - 273.15 },
  vibration: { 'mm/s': (v) => v, 'in/s': (v) => v * 25.4 },
  'motor-current': { A: (v) => v, mA: (v) => v / 1000 },
  pressure: { bar: (v) => v, kPa: (v) => v / 100, MPa: (v) => v * 10, psi: (v) => v * 0.0689475729 },
};
export const DAS_CANONICAL_UNITS: Record<DasSensor, string> = { temperature: '°C', vibration: 'mm/s', 'motor-current': 'A', pressure: 'bar' };

/** One sample of one DAS channel. `status` is the device's own diagnosis of the channel. */
export const DasReading = z.object({
  deviceId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits, "_", ".", ":" or "-"'),
  channel: z.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0-255').max(255, 'must be 0-255'),
  /** The asset the device is mounted on: `enterprise/plant/line/asset`. */
  assetRef: hierarchyPath('/'),
  sensor: z.enum(DAS_SENSORS, { message: `must be one of ${DAS_SENSORS.join(', ')}` }),
  value: z.number({ message: 'must be a number' }).finite('must be a finite number'),
  unit: z.string().min(1, 'must not be empty'),
  /** Epoch milliseconds (UTC) of the sample. */
  sampledAtMs: z.number({ message: 'must be a number' }).int('must be whole epoch milliseconds').min(946684800000, 'must be after 2000-01-01'),
  status: z.enum(['ok', 'out-of-range', 'sensor-fault'], { message: 'must be ok, out-of-range or sensor-fault' }).default('ok'),
});
export type DasReading = z.input<typeof DasReading>;

const QUALITY = { ok: 'good', 'out-of-range': 'uncertain', 'sensor-fault': 'bad' } as const;

/** DAS → measurement events in canonical units; the id key is device + channel + sample time. */
export class DasNormaliser implements SourceNormaliser {
  readonly source = SOURCE;

  constructor(private readonly clock: Clock = systemClock) {}

  normalise(payload: unknown): PlantEvent[] {
    const reading = parsePayload(SOURCE, DasReading, payload);
    const convert = DAS_UNITS[reading.sensor][reading.unit];
    if (!convert) {
      const allowed = Object.keys(DAS_UNITS[reading.sensor]).join(', ');
      throw new NormalisationError(SOURCE, [{ path: 'unit', message: `is "${reading.unit}"; ${reading.sensor} readings must be in ${allowed}` }]);
    }
    return [
      buildEvent(
        SOURCE,
        hierarchyFromPath(reading.assetRef, '/'),
        [reading.deviceId, reading.channel, reading.sampledAtMs],
        {
          kind: 'measurement',
          eventTime: new Date(reading.sampledAtMs).toISOString(),
          measure: reading.sensor,
          // Rounded to 6 decimals so unit conversions do not print 21.111111111111114 into every sink.
          value: Math.round(convert(reading.value) * 1e6) / 1e6,
          unit: DAS_CANONICAL_UNITS[reading.sensor],
          quality: QUALITY[reading.status],
        },
        this.clock,
      ),
    ];
  }
}
