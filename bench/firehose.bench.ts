/**
 * `npm run bench:firehose`: PutRecordBatch throughput of the local Firehose (raw-zone stream, 500
 * plant-event-sized records per call, 4 calls in flight) for each durability
 * setting of the stack: `memory` (no data folder: buffers only, what every acknowledged record used
 * to depend on), `append` (write-ahead log appended before the answer, no fsync: survives kill -9
 * of the process, not a power cut) and `fsync` (append + fdatasync, grouped across concurrent calls:
 * the default with a data folder). The stack runs in this process on a free port. The settings run
 * interleaved in rounds (4 s each) and each reports its median round, so a load spike on the shared
 * machine does not land on one setting only. Last line: one JSON object with the figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { startLocalAws, StartLocalAwsOptions } from '@plant/local-aws';

const SECONDS = 4;
const ROUNDS = 3;
const IN_FLIGHT = 4;
const BATCH = 500;

function batch(call: number): { Data: Buffer }[] {
  const eventTime = new Date().toISOString();
  return Array.from({ length: BATCH }, (_, i) => ({
    Data: Buffer.from(
      JSON.stringify({
        schemaVersion: '1.0',
        eventId: `00000000-0000-4000-8000-${String(call * BATCH + i).padStart(12, '0')}`,
        source: 'das',
        eventTime,
        ingestTime: eventTime,
        enterpriseId: 'ent1',
        plantId: 'plt1',
        lineId: 'plt1-l1',
        assetId: `plt1-l1-press${i % 6}`,
        kind: 'measurement',
        measure: 'vibration',
        value: Math.random() * 10,
        unit: 'mm/s',
        quality: 'good',
      }),
    ),
  }));
}

async function run(label: string, options: StartLocalAwsOptions, seconds = SECONDS): Promise<{ setting: string; recordsPerS: number; p99Ms: number }> {
  const stack = await startLocalAws({ port: 0, ...options });
  const client = createClient(FirehoseClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  const latencies: number[] = [];
  let records = 0;
  let call = 0;
  const end = Date.now() + seconds * 1000;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (Date.now() < end) {
        const t = Date.now();
        const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: ResourceNames.rawDeliveryStream, Records: batch(call++) }));
        latencies.push(Date.now() - t);
        records += BATCH - (out.FailedPutCount ?? 0);
      }
    }),
  );
  const elapsed = (Date.now() - start) / 1000;
  client.destroy();
  await stack.stop();
  latencies.sort((a, b) => a - b);
  const result = { setting: label, recordsPerS: Math.round(records / elapsed), p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
  console.log(JSON.stringify(result));
  return result;
}

async function main(): Promise<void> {
  const settings: Array<[string, (dir: string) => StartLocalAwsOptions]> = [
    ['memory', () => ({})],
    ['append', (dataDir) => ({ dataDir, firehoseFsync: false })],
    ['fsync', (dataDir) => ({ dataDir, firehoseFsync: true })],
  ];
  // Warm-up (JIT, module loading), not reported.
  await run('warm-up', {}, 2);
  const rounds = new Map<string, Array<{ recordsPerS: number; p99Ms: number }>>(settings.map(([label]) => [label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, options] of settings) {
      const dataDir = mkdtempSync(join(tmpdir(), 'bench-firehose-'));
      try {
        rounds.get(label)!.push(await run(label, options(dataDir)));
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const results = [...rounds].map(([setting, r]) => ({
    setting,
    recordsPerS: median(r.map((x) => x.recordsPerS)),
    p99Ms: median(r.map((x) => x.p99Ms)),
    rounds: r.map((x) => x.recordsPerS),
  }));
  console.log(JSON.stringify({ bench: 'firehose', batch: BATCH, inFlight: IN_FLIGHT, secondsPerRound: SECONDS, load: loadavg()[0].toFixed(2), results }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
