import { parseArgs } from 'node:util';
import { z } from 'zod';

const date = (name: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `--${name} must be a date yyyy-MM-dd`).optional();

export const EtlArgs = z
  .object({
    from: date('from'),
    to: date('to'),
    full: z.boolean().default(false),
    'lake-dir': z.string().min(1).optional(),
    'batch-days': z.coerce.number().int('--batch-days must be a whole number').min(1, '--batch-days must be 1 to 31').max(31, '--batch-days must be 1 to 31').optional(),
  })
  .refine((a) => !a.from || !a.to || a.from <= a.to, { message: '--from must not be after --to' });
export type EtlArgs = z.infer<typeof EtlArgs>;

export const ETL_USAGE = `npm run etl [-- --from yyyy-MM-dd --to yyyy-MM-dd] [--full] [--lake-dir <path>] [--batch-days <n>]
  raw → curated → refined over the local lake folder with DuckDB (the transforms Glue runs too).
  Only dates whose raw (or curated) input changed since the last run are rebuilt; --full rebuilds
  every date in --from..--to. Lake folder: $LOCAL_AWS_DATA_DIR/lake (default .data/local-aws/lake).
  Run log: <lake>/_etl/runs.jsonl (also printed).`;

export function parseEtlArgs(argv: string[]): EtlArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      full: { type: 'boolean' },
      'lake-dir': { type: 'string' },
      'batch-days': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const parsed = EtlArgs.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('\n'));
  return parsed.data;
}
