import type { KpiWindow } from './kpi.model';

/**
 * Window instances in UTC. Shifts run 06–14, 14–22, 22–06; the production day runs 06:00–06:00 so
 * one day is exactly its three shifts (a calendar-midnight day would cut the night shift in two).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SHIFT_LENGTH = 8 * HOUR;
const DAY_LENGTH = 24 * HOUR;
const DAY_START_OFFSET = 6 * HOUR;

export interface WindowInstance {
  window: KpiWindow;
  startMs: number;
  endMs: number;
}

function floorTo(timeMs: number, length: number, offset: number): number {
  const shifted = timeMs - offset;
  return shifted - (((shifted % length) + length) % length) + offset;
}

/** The instance of `window` that contains `timeMs` (start inclusive, end exclusive). */
export function windowInstanceAt(window: KpiWindow, timeMs: number): WindowInstance {
  const [length, offset] = windowGrid(window);
  const startMs = floorTo(timeMs, length, offset);
  return { window, startMs, endMs: startMs + length };
}

function windowGrid(window: KpiWindow): [length: number, offset: number] {
  switch (window) {
    case '1m':
      return [MINUTE, 0];
    case '15m':
      return [15 * MINUTE, 0];
    case 'shift':
      return [SHIFT_LENGTH, DAY_START_OFFSET];
    case 'day':
      return [DAY_LENGTH, DAY_START_OFFSET];
  }
}

/** The length of one instance of `window` in ms. */
export function windowLengthMs(window: KpiWindow): number {
  return windowGrid(window)[0];
}

/** Splits [fromMs, toMs) at the instance boundaries of `window`: one segment per instance touched. */
export function splitAtWindows(window: KpiWindow, fromMs: number, toMs: number): { instance: WindowInstance; ms: number }[] {
  const segments: { instance: WindowInstance; ms: number }[] = [];
  let cursor = fromMs;
  while (cursor < toMs) {
    const instance = windowInstanceAt(window, cursor);
    const end = Math.min(instance.endMs, toMs);
    segments.push({ instance, ms: end - cursor });
    cursor = end;
  }
  return segments;
}
