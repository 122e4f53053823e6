/**
 * `npm run bench:reports`: a 90-day daily OEE report of a line through the gateway, cold and cached
 * (bench/support/report90d.ts), standalone: the real gateway, kpi and history subgraphs and the
 * local AWS stack (test/security/secured-platform.ts, authentication on), over refined and
 * curated Parquet generated for 94 days of the platform's fixture plant (9 assets, hourly
 * production and downtime events; test/support/lake-fixtures.ts). Last line: one JSON object.
 */
import { loadavg } from 'node:os';
import { hierarchies, LINE } from '../apps/kpi-subgraph/test/support/kpi-fixtures';
import { bearer } from '../test/support/auth-tokens';
import { generateEvents, writeLakeFixtures } from '../test/support/lake-fixtures';
import { startSecuredPlatform } from '../test/security/secured-platform';
import { measureReport90d } from './support/report90d';

const FIRST_DAY = '2026-01-01';

async function main(): Promise<void> {
  const platform = await startSecuredPlatform();
  try {
    const events = generateEvents(hierarchies, FIRST_DAY, 94);
    await writeLakeFixtures(platform.lakeDir, events);
    const load0 = loadavg()[0];
    const result = await measureReport90d({ gatewayUrl: platform.gateway.url, headers: await bearer('analyst'), lineId: LINE, firstDay: FIRST_DAY, samples: Number(process.env.BENCH_SAMPLES ?? 5) });
    console.log(JSON.stringify({ bench: 'reports', ...result, events: events.length, load: [load0, loadavg()[0]].map((l) => Math.round(l * 10) / 10) }));
  } finally {
    await platform.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
