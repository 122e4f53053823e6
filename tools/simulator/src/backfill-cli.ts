import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MAX_BACKFILL_DAYS } from './raw-zone-backfill';

/** The local lake folder: the local AWS stack's data folder + `lake` (libs/local-aws LocalAwsStack.lakeDir). */
export function defaultLakeDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LOCAL_AWS_DATA_DIR ?? '.data/local-aws', 'lake');
}

const count = (name: string, fallback: number) =>
  z.coerce.number({ message: `--${name} must be a number` }).int(`--${name} must be a whole number`).min(1, `--${name} must be at least 1`).default(fallback);

export const BackfillArgs = z.object({
  days: z.coerce
    .number({ message: '--days must be a number of days' })
    .int('--days must be a whole number')
    .min(1, '--days must be at least 1')
    .max(MAX_BACKFILL_DAYS, `--days must be at most ${MAX_BACKFILL_DAYS}`),
  seed: z.string().min(1).default('1'),
  rate: z.coerce.number({ message: '--rate must be a number' }).positive('--rate must be greater than 0').max(1000, '--rate must be at most 1000').default(2),
  end: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '--end must be a date yyyy-MM-dd')
    .optional(),
  plants: count('plants', 2),
  lines: count('lines', 3),
  assets: count('assets', 6),
  enterprise: z.string().regex(/^[a-z0-9-]{1,32}$/, '--enterprise must be 1-32 lowercase letters, digits or "-"').default('acme'),
  'lake-dir': z.string().min(1).optional(),
});
export type BackfillArgs = z.infer<typeof BackfillArgs>;

export const BACKFILL_USAGE = `npm run backfill -- --days <n> [options]   (or: npm run simulate -- --backfill <n>d)
  --days <n>           days of history ending at --end (1-${MAX_BACKFILL_DAYS})
  --end <yyyy-MM-dd>   history ends at the start of this UTC day (default: today)
  --rate <n>           events per simulated second across the plant (default 2: ≈ 173k events a day)
  --seed <s>           PRNG seed: same seed and options, same files (default 1)
  --plants/--lines/--assets <n>   topology (default 2 × 3 × 6), --enterprise <id> (default acme)
  --lake-dir <path>    lake folder (default $LOCAL_AWS_DATA_DIR/lake, i.e. .data/local-aws/lake)`;

/** Parses argv; `--backfill 90d` is read as `--days 90`. Throws an Error listing every bad option. */
export function parseBackfillArgs(argv: string[]): BackfillArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      backfill: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      end: { type: 'string' },
      plants: { type: 'string' },
      lines: { type: 'string' },
      assets: { type: 'string' },
      enterprise: { type: 'string' },
      'lake-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const { backfill, ...rest } = values;
  if (backfill !== undefined && !/^\d+d?$/.test(backfill)) throw new Error('--backfill must be a number of days such as 90d');
  const parsed = BackfillArgs.safeParse({ ...rest, days: rest.days ?? backfill?.replace(/d$/, '') });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('\n'));
  return parsed.data;
}
