import { z } from 'zod';
import type { PlantZones } from '@plant/domain';

/**
 * PLANT_UTC_OFFSETS: `plt1=60,plt2=-300` — each plant's offset from UTC in minutes, which aligns
 * day (and hour, for half-hour zones) trend buckets to the plant's local midnight. The asset
 * directory in DynamoDB does not carry a zone, and the simulator's topology (`utcOffsetMinutes`) is
 * a tool, not a source the apps may read, so the deployment names it; unlisted plants are on UTC.
 * Fixed offsets: a zone with daylight saving time needs its winter and summer offset (docs/trends.md).
 */
export const plantZonesVar = () =>
  z
    .string()
    .default('')
    .transform((text, ctx): PlantZones => {
      const zones: Record<string, number> = {};
      for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
        const match = /^([A-Za-z0-9][A-Za-z0-9_.:-]{0,127})=([+-]?\d{1,3})$/.exec(entry);
        const minutes = match ? Number(match[2]) : NaN;
        if (!match || Math.abs(minutes) > 14 * 60) {
          ctx.addIssue({ code: 'custom', message: `"${entry}" must be <plantId>=<minutes east of UTC between -840 and 840>` });
          return z.NEVER;
        }
        zones[match[1]] = minutes;
      }
      return zones;
    });
