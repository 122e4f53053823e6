/** A reading at a time (ms since the epoch). */
export interface TimedValue {
  tMs: number;
  value: number;
}

export interface RollingStats {
  mean: number;
  /** Population standard deviation (0 for one sample): the spread of what the window holds. */
  std: number;
  /** Least-squares slope in value units per minute; undefined below two distinct times. */
  slopePerMinute?: number;
}

/**
 * Mean, standard deviation and least-squares slope of the readings (any order). Sums are taken
 * around the first time and the mean value so that epoch-sized times do not cancel out digits.
 */
export function rollingStats(samples: readonly TimedValue[]): RollingStats | undefined {
  const n = samples.length;
  if (n === 0) return undefined;
  let sum = 0;
  for (const s of samples) sum += s.value;
  const mean = sum / n;
  const t0 = samples[0].tMs;
  let tSum = 0;
  for (const s of samples) tSum += (s.tMs - t0) / 60_000;
  const tMean = tSum / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const s of samples) {
    const dt = (s.tMs - t0) / 60_000 - tMean;
    const dv = s.value - mean;
    sxx += dt * dt;
    sxy += dt * dv;
    syy += dv * dv;
  }
  return { mean, std: Math.sqrt(syy / n), slopePerMinute: sxx > 0 ? sxy / sxx : undefined };
}
