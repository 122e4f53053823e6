import {
  AmplaIqtNormaliser,
  CitectScadaNormaliser,
  DasNormaliser,
  PiHistorianNormaliser,
  PlantEvent,
  PlantEventKind,
  SourceNormaliser,
  SourceSystem,
} from '@plant/contracts';
import { AssetDynamics, DEFAULT_DYNAMICS } from './asset-dynamics';
import { AssetSimulation } from './asset-simulation';
import { MALFORMED_KINDS, MalformedKind, malformedRecord } from './malformed-records';
import type { NativeRecord } from './native-record';
import { Prng } from './prng';
import { sampleSeries, SERIES_PER_ASSET } from './sensor-sampler';
import { ShiftCalendar } from './shift-calendar';
import { PlantTopology, TopologyOptions } from './topology';

export interface PlantSimulatorOptions extends TopologyOptions {
  /** Same seed (and same calls) → same events. Default 1. */
  seed?: string | number;
  /** Simulated time starts here; by default at the first `atTime` asked for. */
  startTime?: Date;
  /** Fraction (0-1) of `nextRecords` output replaced by malformed records. Default 0. */
  malformedFraction?: number;
  dynamics?: Partial<AssetDynamics>;
}

/** One record ready for Kinesis PutRecords. */
export interface SimulatedRecord {
  partitionKey: string;
  data: Uint8Array;
  source: SourceSystem;
  /** The kind of the event, or which way the record was spoiled. */
  kind: PlantEventKind;
  malformed?: MalformedKind;
}

/** The simulated world advances in steps of this many seconds. */
const STEP_S = 1;

/**
 * A deterministic plant: every asset's state, production, wear and sensors advance with simulated
 * time, and each batch is what the edge connectors would send: the discrete records (state
 * changes, alarms, production, downtime, quality) as they happen, topped up with sensor samples
 * (PI points and DAS channels, round-robin over all assets) to the requested count. Native
 * payloads go through the real normalisers of @plant/contracts, as in the plant.
 */
export class PlantSimulator {
  readonly topology: PlantTopology;
  private readonly assets: AssetSimulation[] = [];
  private readonly normalisers: Record<SourceSystem, SourceNormaliser>;
  private readonly sampling: Prng;
  private readonly spoiling: Prng;
  private readonly malformedFraction: number;
  private readonly discrete: NativeRecord[] = [];
  private discreteHead = 0;
  private readonly carried: PlantEvent[] = [];
  private readonly lastSampleMs: number[];
  private readonly recordIds: number[];
  private seriesCursor = 0;
  private worldMs?: number;
  private lastBatchMs?: number;
  private ingestTime = new Date(0);

  constructor(private readonly options: PlantSimulatorOptions = {}) {
    const fraction = options.malformedFraction ?? 0;
    if (!(fraction >= 0 && fraction <= 1)) throw new Error(`malformedFraction must be between 0 and 1, got ${fraction}`);
    this.malformedFraction = fraction;
    this.topology = new PlantTopology(options);
    const root = new Prng(options.seed ?? 1);
    this.sampling = root.fork('sampling');
    this.spoiling = root.fork('malformed');
    const world = root.fork('world');
    const dynamics = { ...DEFAULT_DYNAMICS, ...options.dynamics };
    this.recordIds = this.topology.plants.map(() => 1000);
    const recordIds = { next: (plant: number) => ++this.recordIds[plant] };
    const calendars = this.topology.plants.map((p) => new ShiftCalendar({ utcOffsetMinutes: p.utcOffsetMinutes }));
    for (const asset of this.topology.assets) {
      this.assets.push(new AssetSimulation(asset, world.fork(asset.hierarchy.assetId), calendars[asset.plantIndex], dynamics, recordIds));
    }
    if (options.startTime) this.begin(floorToStep(options.startTime.getTime()));
    this.lastSampleMs = new Array(this.assets.length * SERIES_PER_ASSET.length).fill(0);
    const clock = () => this.ingestTime;
    this.normalisers = {
      'pi-historian': new PiHistorianNormaliser(this.topology.tagTable, clock),
      'ampla-iqt': new AmplaIqtNormaliser(clock),
      das: new DasNormaliser(clock),
      'citect-scada': new CitectScadaNormaliser(clock),
    };
  }

  /** The asset simulations, for tests and tools that inspect the true state. */
  get assetSimulations(): readonly AssetSimulation[] {
    return this.assets;
  }

  /** Advances the simulated plant to `atTime`, queueing the discrete records that happen on the way. */
  advanceTo(atTime: Date): void {
    const target = floorToStep(atTime.getTime());
    // Without a startTime the world starts at the first time asked for.
    let world = this.worldMs ?? this.begin(target);
    while (world + STEP_S * 1000 <= target) {
      world += STEP_S * 1000;
      for (const asset of this.assets) asset.step(world, STEP_S, this.discrete);
    }
    this.worldMs = world;
  }

  private begin(startMs: number): number {
    this.worldMs = startMs;
    for (const asset of this.assets) asset.begin(startMs, this.discrete);
    return startMs;
  }

  /** Exactly `n` native source records up to `atTime`: discrete records first, then sensor samples. */
  nextNativeBatch(n: number, atTime: Date): NativeRecord[] {
    this.advanceTo(atTime);
    const atMs = atTime.getTime();
    const fromMs = this.lastBatchMs ?? atMs - 1000;
    const out: NativeRecord[] = [];
    while (out.length < n && this.discreteHead < this.discrete.length) out.push(this.discrete[this.discreteHead++]);
    if (this.discreteHead > 4096) {
      this.discrete.splice(0, this.discreteHead);
      this.discreteHead = 0;
    }
    const samples = n - out.length;
    const seriesCount = this.lastSampleMs.length;
    for (let i = 0; i < samples; i++) {
      const k = this.seriesCursor++ % seriesCount;
      const assetIndex = k % this.assets.length;
      const series = SERIES_PER_ASSET[Math.floor(k / this.assets.length)];
      // Spread over the interval since the last batch; a series never repeats a millisecond, since
      // its time is part of the record's identity (PI: tag + timestamp, DAS: channel + time).
      const spread = Math.round(fromMs + ((atMs - fromMs) * (i + 1)) / samples);
      const t = Math.max(spread, this.lastSampleMs[k] + 1);
      this.lastSampleMs[k] = t;
      out.push(sampleSeries(this.assets[assetIndex], series, t, this.sampling));
    }
    this.lastBatchMs = Math.max(atMs, fromMs);
    return out;
  }

  /** Exactly `n` PlantEvents up to `atTime`, normalised from native records; ingestTime = atTime. */
  nextBatch(n: number, atTime: Date): PlantEvent[] {
    this.ingestTime = atTime;
    const out = this.carried.splice(0, n);
    while (out.length < n) {
      for (const native of this.nextNativeBatch(n - out.length, atTime)) {
        for (const event of this.normalise(native)) (out.length < n ? out : this.carried).push(event);
      }
    }
    return out;
  }

  /** `nextBatch` encoded as Kinesis records (JSON, PartitionKey = assetId), with the malformed fraction spoiled. */
  nextRecords(n: number, atTime: Date): SimulatedRecord[] {
    return this.nextBatch(n, atTime).map((event) => {
      if (this.malformedFraction > 0 && this.spoiling.chance(this.malformedFraction)) {
        const malformed = this.spoiling.pick(MALFORMED_KINDS);
        const text = malformedRecord(event, malformed, this.spoiling);
        return { partitionKey: event.assetId, data: Buffer.from(text), source: event.source, kind: event.kind, malformed };
      }
      return { partitionKey: event.assetId, data: Buffer.from(JSON.stringify(event)), source: event.source, kind: event.kind };
    });
  }

  private normalise(native: NativeRecord): PlantEvent[] {
    return this.normalisers[native.source].normalise(native.payload);
  }
}

function floorToStep(ms: number): number {
  return Math.floor(ms / (STEP_S * 1000)) * STEP_S * 1000;
}
