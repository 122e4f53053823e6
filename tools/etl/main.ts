import { runEtl } from '@plant/lake';
import { defaultLakeDir } from '@plant/simulator';
import { ETL_USAGE, parseEtlArgs } from './etl-cli';

/** `npm run etl`: the lake's raw → curated → refined transforms with DuckDB over the local lake folder. */
async function main(): Promise<number> {
  let args;
  try {
    args = parseEtlArgs(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    console.error(ETL_USAGE);
    return 2;
  }
  if (args === 'help') {
    console.log(ETL_USAGE);
    return 0;
  }
  const log = await runEtl({
    lakeDir: args['lake-dir'] ?? defaultLakeDir(),
    ...(args.from ? { from: args.from } : {}),
    ...(args.to ? { to: args.to } : {}),
    ...(args['batch-days'] ? { batchDays: args['batch-days'] } : {}),
    full: args.full,
  });
  process.stdout.write(`${JSON.stringify(log)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
