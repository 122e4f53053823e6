import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { decodePlantEvent, PlantEvent } from '@plant/contracts';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { KinesisPublisher, runSimulator } from '@plant/simulator';
import { readWholeStream } from './stream-reader';

describe('runSimulator → local Kinesis', () => {
  let stack: LocalAwsStack;
  let reader: KinesisClient;
  let publisher: KinesisPublisher;

  beforeEach(async () => {
    stack = await startLocalAws({ port: 0 });
    const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
    reader = createClient(KinesisClient, connection);
    publisher = new KinesisPublisher(connection, { streamName: ResourceNames.plantEventsStream });
  });
  afterEach(async () => {
    publisher.close();
    reader.destroy();
    await stack.stop();
  });

  it('puts events of all four sources, keyed by asset, with the asked malformed fraction, and every record arrives', async () => {
    const lines: Record<string, unknown>[] = [];
    const run = runSimulator({
      sink: publisher,
      seed: 'int',
      rate: 2_000,
      durationSeconds: 3,
      malformedFraction: 0.02,
      // Start the plant 30 minutes back so that state changes, alarms and production are in the first batches.
      startTime: new Date(Date.now() - 30 * 60_000),
      logIntervalMs: 1_000,
      log: (line) => lines.push(line),
    });
    const totals = await run.done;
    expect(totals.generated).toBe(6_000);
    expect(totals.sent).toBe(6_000);
    expect(totals.failed).toBe(0);
    expect(lines.some((l) => l.msg === 'simulator rate' && typeof l.records_per_s === 'number')).toBe(true);

    const read = await readWholeStream(reader, ResourceNames.plantEventsStream);
    expect(read).toHaveLength(6_000);
    const events: PlantEvent[] = [];
    let undecodable = 0;
    for (const record of read) {
      const decoded = decodePlantEvent(record.data);
      if (decoded.ok) {
        events.push(decoded.event);
        expect(record.partitionKey).toBe(decoded.event.assetId);
      } else undecodable++;
    }
    // Every spoiled record, and only those, is refused by the consumers' decoder.
    expect(undecodable).toBe(totals.malformed);
    // 6,000 draws at p = 0.02: mean 120, sd ≈ 11.
    expect(undecodable).toBeGreaterThan(70);
    expect(undecodable).toBeLessThan(170);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['pi-historian', 'ampla-iqt', 'das', 'citect-scada']));
    // Ids repeat only where a source re-sends a record: the start of a closed Ampla downtime.
    const seen = new Set<string>();
    const repeated = events.filter((e) => seen.has(e.eventId) || !seen.add(e.eventId));
    expect(repeated.filter((e) => !(e.kind === 'downtime' && e.phase === 'start'))).toEqual([]);
  });

  it('stops on stop(), flushing what is in flight, and reports totals that match the stream', async () => {
    const run = runSimulator({ sink: publisher, seed: 2, rate: 400, logIntervalMs: 0 });
    await new Promise((r) => setTimeout(r, 1_500));
    const totals = await run.stop();
    expect(totals.sent).toBe(totals.generated);
    expect(totals.sent).toBeGreaterThan(200);
    expect(totals.sent).toBeLessThan(1_000);
    expect(totals.bySource.das + totals.bySource['pi-historian'] + totals.bySource['ampla-iqt'] + totals.bySource['citect-scada']).toBe(totals.generated);
    const read = await readWholeStream(reader, ResourceNames.plantEventsStream);
    expect(read).toHaveLength(totals.sent);
  });
});
