import { BACKFILL_USAGE, defaultLakeDir, parseBackfillArgs } from './src/backfill-cli';
import { backfillRawZone } from './src/raw-zone-backfill';

/** `npm run backfill -- --days 90` (and `npm run simulate -- --backfill 90d`): history into the raw zone. */
export async function backfillMain(argv: string[]): Promise<number> {
  const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...o })}\n`);
  let args;
  try {
    args = parseBackfillArgs(argv);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    console.error(BACKFILL_USAGE);
    return 2;
  }
  if (args === 'help') {
    console.log(BACKFILL_USAGE);
    return 0;
  }
  const lakeDir = args['lake-dir'] ?? defaultLakeDir();
  line({ level: 'info', msg: 'backfill started', lakeDir, days: args.days, rate: args.rate, seed: args.seed });
  const totals = await backfillRawZone({
    lakeDir,
    days: args.days,
    seed: args.seed,
    eventsPerSecond: args.rate,
    enterpriseId: args.enterprise,
    plants: args.plants,
    lines: args.lines,
    assets: args.assets,
    ...(args.end ? { end: new Date(`${args.end}T00:00:00Z`) } : {}),
    log: line,
  });
  line({ level: 'info', msg: 'backfill done', ...totals });
  return 0;
}

if (require.main === module) {
  backfillMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
