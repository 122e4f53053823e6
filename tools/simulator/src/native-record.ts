import type { AmplaRecord, CitectRecord, DasReading, PiValuePayload } from '@plant/contracts';

/** A payload as an edge connector receives it from one plant source, before normalisation. */
export type NativeRecord =
  | { source: 'pi-historian'; assetId: string; payload: PiValuePayload }
  | { source: 'ampla-iqt'; assetId: string; payload: AmplaRecord }
  | { source: 'das'; assetId: string; payload: DasReading }
  | { source: 'citect-scada'; assetId: string; payload: CitectRecord };

/** ISO-8601 with the plant's local offset, as Citect writes its times (`2026-11-25T09:00:00.000+01:00`). */
export function isoWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
