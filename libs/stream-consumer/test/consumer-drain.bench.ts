/**
 * How fast one worker drains a pre-loaded backlog with a no-op RecordProcessor (the consumer's own
 * cost: GetRecords, budget, checkpoints), on the local stack. The producer's time is kept apart.
 *   node -r @swc-node/register libs/stream-consumer/test/consumer-drain.bench.ts [records]
 * Prints one JSON object with the figures as its last line.
 */
import { startLocalAws } from '@plant/local-aws';
import type { ConsumerSettings, RecordProcessor } from '@plant/stream-consumer';
import { CapturingLogger, ConsumerTestBed, waitFor } from '@plant/stream-consumer/testing';

const RECORDS = Number(process.argv[2] ?? 50_000);

/** Defaults of consumerSettingsOf(), apart from the ones a run varies. */
const DEFAULTS: Omit<ConsumerSettings, 'workerId'> = {
  leaseDurationMs: 10_000,
  shardSyncIntervalMs: 60_000,
  pollIntervalMs: 250,
  maxIdleDelayMs: 2_000,
  maxRecordsPerGet: 10_000,
  maxRecordsInFlight: 20_000,
  shutdownTimeoutMs: 30_000,
  retryBaseMs: 200,
  maxRetryDelayMs: 10_000,
  maxAttempts: 3,
};

async function main(): Promise<void> {
  const stack = await startLocalAws({ port: 0 });
  const bed = new ConsumerTestBed(stack);
  const runs: Record<string, unknown>[] = [];
  try {
    for (const [name, overrides] of [
      ['defaults (10,000 per GetRecords, 20,000 in flight)', {}],
      ['1,000 per GetRecords', { maxRecordsPerGet: 1_000 }],
    ] as const) {
      const stream = await bed.createStream(`drain-${runs.length}`);
      const loadStarted = performance.now();
      await bed.put(stream, RECORDS, 'x'.repeat(200));
      const loadSeconds = (performance.now() - loadStarted) / 1000;

      let acknowledged = 0;
      let batches = 0;
      const noop: RecordProcessor = {
        process: async (_shardId, records) => {
          acknowledged += records.length;
          batches++;
        },
      };
      const logger = new CapturingLogger();
      const worker = bed.worker(stream, `bench-${runs.length}`, noop, { ...DEFAULTS, ...overrides }, logger);
      const started = performance.now();
      await worker.start();
      await waitFor(() => acknowledged >= RECORDS, 120_000, 'the backlog');
      const seconds = (performance.now() - started) / 1000;
      await worker.stop();
      runs.push({
        run: name,
        records: RECORDS,
        batches,
        drainSeconds: round(seconds),
        recordsPerSecond: Math.round(RECORDS / seconds),
        producerRecordsPerSecond: Math.round(RECORDS / loadSeconds),
        warnings: logger.warnings.length,
      });
      console.log(JSON.stringify(runs[runs.length - 1]));
    }
  } finally {
    await bed.stopWorkers();
    bed.destroy();
    await stack.stop();
  }
  console.log(JSON.stringify({ benchmark: 'stream-consumer-drain', shards: 4, recordBytes: 200 + 6, runs }));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
