import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import fc from 'fast-check';
import type { PlantEvent } from '@plant/contracts';

/**
 * Inputs of the poison-record property test: random bytes, random JSON, contract-violating objects
 * with huge fields, and contract-valid but extreme events (sizes up to Kinesis' 1 MiB, event times
 * from year 1 to 9999, any Unicode in ids and texts). Valid extreme events belong to a plant of
 * their own (`<run>-px`) so that the KPIs of every other asset can be checked exactly.
 */
export type PoisonInput =
  | { type: 'bytes'; data: Uint8Array }
  | { type: 'json'; data: Uint8Array }
  | { type: 'huge-field'; data: Uint8Array }
  | { type: 'extreme-event'; event: Record<string, unknown>; data: Uint8Array };

/** Kinesis takes at most 1 MiB per record, data and partition key together. */
const KINESIS_RECORD_MAX = 1024 * 1024;

const isoTime = fc
  .date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const unicode = (minLength: number, maxLength: number) => fc.string({ unit: 'binary', minLength, maxLength });
/** Sizes around the limits that matter: Firehose's 1,000 KiB per record and Kinesis' 1 MiB. */
const padding = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1_023_000, max: KINESIS_RECORD_MAX - 2_000 }));

function extremeEvent(run: string) {
  const hierarchy = { enterpriseId: 'ent-px', plantId: `${run}-px`, lineId: `${run}-px-line` };
  const base = fc.record({
    assetId: unicode(1, 40).map((s) => `${run}-px-${s}`.slice(0, 128)),
    eventTime: isoTime,
    ingestTime: fc.oneof(isoTime, fc.constant(new Date().toISOString())),
    source: fc.constantFrom('pi-historian', 'ampla-iqt', 'das', 'citect-scada'),
  });
  const kind = fc.oneof(
    fc.record({ kind: fc.constant('measurement'), measure: unicode(1, 128), value: fc.double({ noNaN: true, noDefaultInfinity: true }), quality: fc.constantFrom('good', 'uncertain', 'bad'), unit: unicode(0, 32) }),
    fc.record({ kind: fc.constant('production'), goodCount: fc.nat(), scrapCount: fc.nat(), idealCycleSeconds: fc.double({ min: 1e-9, max: 1e9, noNaN: true }) }),
    fc.record({ kind: fc.constant('downtime'), downtimeId: unicode(1, 128), phase: fc.constantFrom('start', 'end'), reasonCode: unicode(1, 128), reason: unicode(0, 256) }),
    fc.record({ kind: fc.constant('quality'), defectCode: unicode(1, 128), defectCount: fc.integer({ min: 1, max: 2 ** 31 }) }),
    fc.record({ kind: fc.constant('machine-state'), state: fc.constantFrom('running', 'idle', 'down'), reasonCode: unicode(0, 128) }),
    fc.record({ kind: fc.constant('alarm'), alarmId: unicode(1, 128), phase: fc.constantFrom('raised', 'acknowledged', 'cleared'), priority: fc.integer({ min: 1, max: 4 }), tag: unicode(1, 128), message: unicode(0, 512) }),
  );
  return fc.tuple(base, kind, padding).map(([b, k, pad]) => {
    const event: Record<string, unknown> = { schemaVersion: 1, eventId: '', ...hierarchy, ...b, ...k };
    const bytes = Buffer.byteLength(JSON.stringify(event)) + Buffer.byteLength(String(b.assetId)) + 64;
    // Unknown fields are allowed by the contract (and kept in the raw bytes): the padding makes the record large.
    if (pad > 0) event.padding = 'x'.repeat(Math.max(0, Math.min(pad, KINESIS_RECORD_MAX - bytes)));
    return event;
  });
}

export function poisonInput(run: string): fc.Arbitrary<PoisonInput> {
  return fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 3_000 }).map((data): PoisonInput => ({ type: 'bytes', data })),
    fc.json({ maxDepth: 3 }).map((json): PoisonInput => ({ type: 'json', data: Buffer.from(json) })),
    fc
      .tuple(fc.constantFrom('schemaVersion', 'kind', 'eventTime', 'assetId'), fc.integer({ min: 1, max: KINESIS_RECORD_MAX - 200 }))
      .map(([field, size]): PoisonInput => {
        const object: Record<string, unknown> = { schemaVersion: 1, kind: 'production', [field]: 'é'.repeat(Math.floor(size / 2)) };
        return { type: 'huge-field', data: Buffer.from(JSON.stringify(object)) };
      }),
    extremeEvent(run).map((event): PoisonInput => ({ type: 'extreme-event', event, data: Buffer.alloc(0) })),
  );
}

/** Gives every extreme event its id (unique per run) and encodes it. */
export function finalisePoison(run: string, inputs: PoisonInput[]): PoisonInput[] {
  return inputs.map((input, i) => {
    if (input.type !== 'extreme-event') return input;
    const event = { ...input.event, eventId: `${run}-px-${i}` };
    return { ...input, event, data: Buffer.from(JSON.stringify(event)) };
  });
}

/** The normal events of a run, moved into a plant of their own so that runs do not share KPI items. */
export function ownPlant(run: string, events: PlantEvent[]): PlantEvent[] {
  return events.map((e) => ({ ...e, eventId: `${run}-${e.eventId}`, plantId: `${run}-${e.plantId}`, lineId: `${run}-${e.lineId}`, assetId: `${run}-${e.assetId}` }));
}

export interface PutResult {
  shardId: string;
  sequenceNumber: string;
}

/** PutRecords in order within Kinesis' limits (500 records, 5 MiB per call); failed entries retried. */
export async function putInOrder(kinesis: KinesisClient, streamName: string, records: { partitionKey: string; data: Uint8Array }[]): Promise<PutResult[]> {
  const results: PutResult[] = new Array<PutResult>(records.length);
  let start = 0;
  while (start < records.length) {
    let end = start;
    let bytes = 0;
    while (end < records.length && end - start < 500 && bytes + records[end].data.length + 256 <= 4 * 1024 * 1024) bytes += records[end++].data.length + 256;
    let pending = Array.from({ length: end - start }, (_, i) => start + i);
    while (pending.length) {
      const out = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: pending.map((i) => ({ PartitionKey: records[i].partitionKey, Data: records[i].data })) }));
      const failed: number[] = [];
      pending.forEach((index, j) => {
        const r = out.Records?.[j];
        if (r?.ErrorCode || !r?.SequenceNumber) failed.push(index);
        else results[index] = { shardId: r.ShardId!, sequenceNumber: r.SequenceNumber };
      });
      pending = failed;
    }
    start = end;
  }
  return results;
}
