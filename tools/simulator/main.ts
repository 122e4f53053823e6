import { ConfigError, loadConfig, awsConnectionOf } from '@plant/config';
import { KinesisPublisher } from './src/record-sink.kinesis';
import { runSimulator } from './src/run-simulator';
import { parseSimulatorArgs, SimulatorConfigSchema, USAGE } from './src/simulator-cli';
import { backfillMain } from './backfill';

/** `npm run simulate`: the plant simulator writing PlantEvents to the Kinesis stream, JSON log lines on stdout. */
async function main(): Promise<number> {
  // `--backfill 90d` writes history into the raw zone instead of streaming (backfill.ts).
  if (process.argv.some((a) => a === '--backfill' || a.startsWith('--backfill='))) return backfillMain(process.argv.slice(2));
  const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...o })}\n`);
  let args;
  let config;
  try {
    args = parseSimulatorArgs(process.argv.slice(2));
    if (args === 'help') {
      console.log(USAGE);
      return 0;
    }
    config = loadConfig(SimulatorConfigSchema);
  } catch (err) {
    console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
    console.error(USAGE);
    return 2;
  }
  const inFlight = args['in-flight'];
  const sink = new KinesisPublisher(awsConnectionOf(config), { streamName: config.PLANT_EVENTS_STREAM, maxSockets: Math.max(16, inFlight ?? 0) });
  const run = runSimulator({
    sink,
    seed: args.seed,
    rate: args.rate,
    durationSeconds: args.duration,
    malformedFraction: args.malformed,
    enterpriseId: args.enterprise,
    plants: args.plants,
    lines: args.lines,
    assets: args.assets,
    inFlight,
    logIntervalMs: args['log-interval'] * 1000,
    log: line,
  });
  const t = run.simulator.topology;
  line({ level: 'info', msg: 'simulator started', endpoint: config.AWS_ENDPOINT_URL, stream: config.PLANT_EVENTS_STREAM, seed: args.seed, rate: Number.isFinite(args.rate) ? args.rate : 'max', malformed: args.malformed, plants: t.plants.length, assets: t.assets.length });
  const stop = (signal: string) => {
    line({ level: 'info', msg: `${signal}: stopping, flushing records in flight` });
    void run.stop();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const totals = await run.done;
  sink.close();
  line({ level: 'info', msg: 'simulator stopped', ...totals });
  return totals.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
