import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDbKpiWindowStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import type { DeadLetter } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { encodeEvent, generatePlantEvents } from './support/plant-event-generator';
import { expectedFromScratch, kpiMismatches, lakeLines } from './support/routing-harness';
import { freePort, metricValue, putAll, readAll, spawnStreamWriter, until } from './support/stream-io';

jest.setTimeout(240_000);

/**
 * The real stream-writer process (consumer + router) against an in-test local stack: killed with
 * SIGKILL in the middle of a backlog, restarted, and then every sink must hold what a from-scratch
 * computation over the same stream says — raw zone at least once, KPIs exactly.
 */
describe('stream-writer process: crash and restart', () => {
  let dataDir: string;
  let stack: LocalAwsStack;
  let kinesis: KinesisClient;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stream-writer-e2e-'));
    stack = await startLocalAws({ port: 0, dataDir, firehoseBuffering: { maxIntervalMs: 200 } });
    const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
    kinesis = createClient(KinesisClient, connection);
    dynamodb = createClient(DynamoDBClient, connection);
  });
  afterAll(async () => {
    kinesis.destroy();
    dynamodb.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('kill -9 mid-run, restart: every record in the raw zone at least once, KPIs equal to a from-scratch computation', async () => {
    const events = generatePlantEvents({ plants: 2, linesPerPlant: 2, assetsPerLine: 10, eventsPerAsset: 150, startMs: Date.now() - 20 * 60_000, stepMs: 4_000 });
    const malformed = Array.from({ length: 50 }, (_, i) => ({ partitionKey: `bad-${i}`, data: Buffer.from(`{"broken": ${i}`) }));
    await putAll(kinesis, ResourceNames.plantEventsStream, [...events.map(encodeEvent), ...malformed]);

    const port = await freePort();
    const env = {
      AWS_ENDPOINT_URL: stack.endpoint,
      PORT: String(port),
      STREAM_CONSUMER_WORKER_ID: 'e2e-worker',
      STREAM_CONSUMER_LEASE_DURATION_MS: '2000',
      // Small reads so the backlog takes many batches and the kill lands in the middle.
      STREAM_CONSUMER_MAX_RECORDS_PER_GET: '200',
    };
    const first = spawnStreamWriter(env);
    const exited = new Promise((r) => first.once('exit', r));
    await until(async () => (await metricValue(port, 'stream_writer_sink_records_total', 'sink="raw-events"')) > 0, 60_000, 'first raw writes').catch((err) => {
      throw new Error(`${err}\n${first.output.join('')}`);
    });
    const before = await metricValue(port, 'stream_writer_sink_records_total', 'sink="raw-events"');
    first.kill('SIGKILL');
    await exited;
    expect(before).toBeLessThan(events.length);

    const second = spawnStreamWriter(env);
    try {
      const byShard = await readAll(kinesis, ResourceNames.plantEventsStream);
      const expected = expectedFromScratch(byShard);
      const kpiWindows = new DynamoDbKpiWindowStore(dynamodb, { tableName: ResourceNames.kpiTable });
      let mismatches: string[] = [];
      await until(
        async () => {
          const raw = new Set((await lakeLines(stack, 'raw')).map((l) => JSON.parse(l).eventId));
          if (raw.size < events.length) return false;
          const dead = new Set((await lakeLines(stack, 'dlq')).map((l) => (JSON.parse(l) as DeadLetter).sequenceNumber));
          if (dead.size < malformed.length) return false;
          mismatches = await kpiMismatches(kpiWindows, expected.kpiDeltas);
          return mismatches.length === 0;
        },
        150_000,
        'raw zone and dead letters complete, KPIs equal to the from-scratch computation',
      ).catch((err) => {
        throw new Error(`${err}\n${mismatches.slice(0, 3).join('\n')}\n${second.output.join('').slice(-3000)}`);
      });
      const deadLetters = (await lakeLines(stack, 'dlq')).map((l) => JSON.parse(l) as DeadLetter);
      expect(new Set(deadLetters.map((d) => d.sequenceNumber)).size).toBe(malformed.length);
      expect(deadLetters.every((d) => d.reason.startsWith('not valid JSON'))).toBe(true);
    } finally {
      const done = new Promise((r) => second.once('exit', r));
      second.kill('SIGTERM');
      await done;
    }
  });
});
