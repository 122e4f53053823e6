import { parseArgs } from 'node:util';
import { z } from 'zod';
import { awsConfigShape, DefaultPorts, EnvNames, resourceNameVar, ResourceNames, urlVar } from '@plant/config';

/** The simulator's environment: where the stream is. Locally the local AWS stack on its default port. */
export const SimulatorConfigSchema = z.object({
  ...awsConfigShape,
  [EnvNames.AWS_ENDPOINT_URL]: urlVar().default(`http://127.0.0.1:${DefaultPorts.localAws}`),
  [EnvNames.PLANT_EVENTS_STREAM]: resourceNameVar(ResourceNames.plantEventsStream),
});
export type SimulatorConfig = z.infer<typeof SimulatorConfigSchema>;

const count = (name: string, fallback: number) =>
  z.coerce.number({ message: `--${name} must be a number` }).int(`--${name} must be a whole number`).min(1, `--${name} must be at least 1`).default(fallback);

/** Command-line options, validated with the option name in every message. */
export const SimulatorArgs = z.object({
  seed: z.string().min(1).default('1'),
  rate: z
    .union([z.literal('max'), z.coerce.number({ message: '--rate must be a number or "max"' }).positive('--rate must be greater than 0')])
    .default(200)
    .transform((v) => (v === 'max' ? Infinity : v)),
  duration: z.coerce.number({ message: '--duration must be a number of seconds' }).positive('--duration must be greater than 0').optional(),
  malformed: z.coerce.number({ message: '--malformed must be a number' }).min(0, '--malformed must be between 0 and 1').max(1, '--malformed must be between 0 and 1').default(0),
  plants: count('plants', 2),
  lines: count('lines', 3),
  assets: count('assets', 6),
  enterprise: z.string().regex(/^[a-z0-9-]{1,32}$/, '--enterprise must be 1-32 lowercase letters, digits or "-"').default('acme'),
  'in-flight': z.coerce.number().int().min(1, '--in-flight must be at least 1').max(64, '--in-flight must be at most 64').optional(),
  'log-interval': z.coerce.number({ message: '--log-interval must be a number of seconds' }).min(0).default(5),
});
export type SimulatorArgs = z.infer<typeof SimulatorArgs>;

export const USAGE = `npm run simulate -- [options]
  --seed <s>           PRNG seed: same seed, same plant history (default 1)
  --rate <n|max>       records/s across the four sources (default 200; "max" = as fast as the stream takes)
  --duration <s>       stop after this many seconds (default: run until SIGINT/SIGTERM)
  --malformed <f>      fraction 0-1 of records put on the stream broken (default 0)
  --plants/--lines/--assets <n>   topology (default 2 × 3 × 6), --enterprise <id> (default acme)
  --in-flight <n>      PutRecords calls in flight (default from the rate)
  --log-interval <s>   seconds between rate lines, 0 = none (default 5)
env: AWS_ENDPOINT_URL (default http://127.0.0.1:${DefaultPorts.localAws}), AWS_REGION, PLANT_EVENTS_STREAM (default ${ResourceNames.plantEventsStream})`;

/** Parses argv; throws an Error whose message lists every bad option. */
export function parseSimulatorArgs(argv: string[]): SimulatorArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      seed: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      malformed: { type: 'string' },
      plants: { type: 'string' },
      lines: { type: 'string' },
      assets: { type: 'string' },
      enterprise: { type: 'string' },
      'in-flight': { type: 'string' },
      'log-interval': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const parsed = SimulatorArgs.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('\n'));
  return parsed.data;
}
