import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { backfillRawZone } from '@plant/simulator';

/**
 * `LAKE_SEED_DAYS=n npm start` writes n days of simulated history (up to the start of today, UTC)
 * into the raw zone before the platform starts, so `npm run etl` and the reports have depth at
 * once. Default 0: it costs ≈ 10–20 s per day on this machine and ≈ 58 MB of raw JSON per day.
 * Only once per data folder: a lake that holds backfilled objects already is left alone (a later
 * day's seed would simulate the overlapping days again, as a different history).
 */
export const MAX_LAKE_SEED_DAYS = 31;

export function lakeSeedDaysFromEnv(env: NodeJS.ProcessEnv): number {
  const text = env.LAKE_SEED_DAYS ?? '0';
  const days = Number(text);
  if (!/^\d+$/.test(text) || days > MAX_LAKE_SEED_DAYS) throw new Error(`LAKE_SEED_DAYS is "${text}": must be a whole number of days from 0 to ${MAX_LAKE_SEED_DAYS}`);
  return days;
}

function hasBackfill(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((name) => name.includes('-backfill-'));
}

export async function seedLake(lakeDir: string, days: number, log: (line: string) => void): Promise<void> {
  if (days === 0) return;
  if (hasBackfill(join(lakeDir, 'raw'))) {
    log(`  lake seed skipped: ${lakeDir}/raw holds backfilled history already`);
    return;
  }
  log(`Seeding ${days} day(s) of plant history into the raw zone (${lakeDir})…`);
  const totals = await backfillRawZone({ lakeDir, days });
  log(`  ${totals.events} events in ${totals.elapsedSeconds.toFixed(1)} s; run \`npm run etl\` for curated and refined Parquet`);
}
