/**
 * `npm run bench:reports`: a 90-day daily OEE report of a line through the gateway, cold and cached
 * (bench/support/report90d.ts), standalone: the real gateway, kpi and history subgraphs and the
 * local AWS stack (test/security/secured-platform.ts, authentication on), over refined and
 * curated Parquet generated for 94 days of the platform's fixture plant (9 assets, hourly
 * production and downtime events; test/support/lake-fixtures.ts). Last line: one JSON object.
 */
import { loadavg } from 'node:os';
import { report90dOnFixturePlant } from './support/report90d';

async function main(): Promise<void> {
  const load0 = loadavg()[0];
  const result = await report90dOnFixturePlant(Number(process.env.BENCH_SAMPLES ?? 5));
  console.log(JSON.stringify({ bench: 'reports', ...result, load: [load0, loadavg()[0]].map((l) => Math.round(l * 10) / 10) }));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
