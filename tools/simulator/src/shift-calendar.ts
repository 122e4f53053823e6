/**
 * Three-shift calendar of a plant: early 06-14, late 14-22, night 22-06 local time. Each shift
 * starts with a planned changeover and has one planned break; the simulator idles assets then
 * (planned stops: machine-state idle, not downtime).
 */
export interface Shift {
  id: 'early' | 'late' | 'night';
  startHour: number;
}

export const SHIFTS: readonly Shift[] = [
  { id: 'early', startHour: 6 },
  { id: 'late', startHour: 14 },
  { id: 'night', startHour: 22 },
];

export interface ShiftCalendarOptions {
  /** Plant local time = UTC + this offset (fixed offsets: the simulator ignores daylight saving). */
  utcOffsetMinutes?: number;
  changeoverMinutes?: number;
  breakAfterMinutes?: number;
  breakMinutes?: number;
}

export type PlannedStop = 'shift-change' | 'break';

export interface ShiftPosition {
  shiftId: Shift['id'];
  /** UTC start of the shift, epoch ms. */
  shiftStartMs: number;
  plannedStop?: PlannedStop;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export class ShiftCalendar {
  private readonly offsetMs: number;
  private readonly changeoverMs: number;
  private readonly breakStartMs: number;
  private readonly breakEndMs: number;

  constructor(options: ShiftCalendarOptions = {}) {
    this.offsetMs = (options.utcOffsetMinutes ?? 0) * MINUTE_MS;
    this.changeoverMs = (options.changeoverMinutes ?? 10) * MINUTE_MS;
    this.breakStartMs = (options.breakAfterMinutes ?? 240) * MINUTE_MS;
    this.breakEndMs = this.breakStartMs + (options.breakMinutes ?? 20) * MINUTE_MS;
  }

  at(timeMs: number): ShiftPosition {
    const local = timeMs + this.offsetMs;
    const dayStart = Math.floor(local / (24 * HOUR_MS)) * 24 * HOUR_MS;
    const hourOfDay = (local - dayStart) / HOUR_MS;
    // The night shift that started yesterday at 22:00 runs until 06:00 today.
    let shift = SHIFTS[SHIFTS.length - 1];
    let startLocal = dayStart - 24 * HOUR_MS + shift.startHour * HOUR_MS;
    for (const s of SHIFTS) {
      if (hourOfDay >= s.startHour) {
        shift = s;
        startLocal = dayStart + s.startHour * HOUR_MS;
      }
    }
    const into = local - startLocal;
    const plannedStop: PlannedStop | undefined =
      into < this.changeoverMs ? 'shift-change' : into >= this.breakStartMs && into < this.breakEndMs ? 'break' : undefined;
    return { shiftId: shift.id, shiftStartMs: startLocal - this.offsetMs, ...(plannedStop ? { plannedStop } : {}) };
  }
}
