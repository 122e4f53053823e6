import type { PlantEvent } from '@plant/contracts';
import type { ConsumedRecord } from '@plant/stream-consumer';

/**
 * Deterministic plant events for the routing tests: per asset a stream of machine states,
 * production counts, sensor readings, downtimes, quality findings and SCADA alarms, with readings
 * that cross the default alert thresholds now and then. Same seed → same events.
 */
export interface GeneratorOptions {
  plants?: number;
  linesPerPlant?: number;
  assetsPerLine?: number;
  eventsPerAsset: number;
  startMs: number;
  /** Time between two events of one asset. */
  stepMs?: number;
  seed?: number;
}

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generatePlantEvents(options: GeneratorOptions): PlantEvent[] {
  const random = prng(options.seed ?? 42);
  const { plants = 1, linesPerPlant = 2, assetsPerLine = 5, eventsPerAsset, startMs, stepMs = 1_000 } = options;
  const assets = [];
  for (let p = 0; p < plants; p++)
    for (let l = 0; l < linesPerPlant; l++)
      for (let a = 0; a < assetsPerLine; a++)
        assets.push({ enterpriseId: 'ent-1', plantId: `plant-${p}`, lineId: `plant-${p}-line-${l}`, assetId: `plant-${p}-line-${l}-asset-${a}` });
  const events: PlantEvent[] = [];
  let id = 0;
  for (let step = 0; step < eventsPerAsset; step++) {
    for (const [index, hierarchy] of assets.entries()) {
      const time = new Date(startMs + step * stepMs + index).toISOString();
      const base = { ...hierarchy, schemaVersion: 1 as const, eventId: `gen-${options.seed ?? 42}-${id++}`, eventTime: time, ingestTime: time };
      const roll = random();
      if (roll < 0.35) {
        const measure = ['temperature', 'vibration', 'current'][Math.floor(random() * 3)];
        const value = measure === 'temperature' ? 60 + random() * 45 : measure === 'vibration' ? random() * 8 : 20 + random() * 25;
        events.push({ ...base, source: 'das', kind: 'measurement', measure, value: Math.round(value * 100) / 100, unit: 'u', quality: random() < 0.05 ? 'bad' : 'good' });
      } else if (roll < 0.6) {
        events.push({ ...base, source: 'ampla-iqt', kind: 'production', goodCount: Math.floor(random() * 10), scrapCount: random() < 0.2 ? 1 : 0, idealCycleSeconds: 0.8 });
      } else if (roll < 0.72) {
        const state = random() < 0.6 ? 'running' : random() < 0.5 ? 'idle' : 'down';
        events.push({ ...base, source: 'citect-scada', kind: 'machine-state', state, ...(state === 'down' ? { reasonCode: 'jam' } : {}) });
      } else if (roll < 0.82) {
        const downtimeId = `${hierarchy.assetId}-dt-${Math.floor(step / 8)}`;
        events.push({ ...base, source: 'ampla-iqt', kind: 'downtime', downtimeId, phase: step % 8 < 4 ? 'start' : 'end', reasonCode: random() < 0.5 ? 'tool-change' : 'material' });
      } else if (roll < 0.9) {
        events.push({ ...base, source: 'ampla-iqt', kind: 'quality', defectCode: 'burr', defectCount: 1 });
      } else {
        const phases = ['raised', 'acknowledged', 'cleared'] as const;
        events.push({
          ...base,
          source: 'citect-scada',
          kind: 'alarm',
          alarmId: `${hierarchy.assetId}-alarm-${Math.floor(step / 6)}`,
          phase: phases[Math.floor(random() * 3)],
          priority: 1 + Math.floor(random() * 4),
          tag: 'PRESS.OVERLOAD',
          message: 'overload',
        });
      }
    }
  }
  return events;
}

/** The shard of an asset as Kinesis would pick it from the partition key (here: a stable hash mod shards). */
export function shardOf(partitionKey: string, shards: number): string {
  let hash = 0;
  for (const c of partitionKey) hash = (Math.imul(hash, 31) + c.charCodeAt(0)) >>> 0;
  return `shardId-${String(hash % shards).padStart(12, '0')}`;
}

const SEQUENCE_BASE = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;

/** Records per shard in arrival order, with Kinesis-like (56-digit) growing sequence numbers. */
export function toShardRecords(payloads: { partitionKey: string; data: Uint8Array }[], shards = 4): Map<string, ConsumedRecord[]> {
  const byShard = new Map<string, ConsumedRecord[]>();
  for (const { partitionKey, data } of payloads) {
    const shardId = shardOf(partitionKey, shards);
    const records = byShard.get(shardId) ?? [];
    records.push({ shardId, sequenceNumber: String(SEQUENCE_BASE + BigInt(records.length) * 1000n), partitionKey, data });
    byShard.set(shardId, records);
  }
  return byShard;
}

export const encodeEvent = (event: PlantEvent) => ({ partitionKey: event.assetId, data: Buffer.from(JSON.stringify(event)) });
