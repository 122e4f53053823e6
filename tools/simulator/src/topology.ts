import { Hierarchy, PiTagMapping, PiTagTable } from '@plant/contracts';

/** Station types of a body/assembly line, with the ideal cycle time and the size of their drives. */
export const ASSET_TYPES = [
  { type: 'press', idealCycleSeconds: 4, motorCurrentA: 55, hydraulicBar: 180 },
  { type: 'weld', idealCycleSeconds: 30, motorCurrentA: 25, hydraulicBar: 120 },
  { type: 'cnc', idealCycleSeconds: 45, motorCurrentA: 35, hydraulicBar: 70 },
  { type: 'paint', idealCycleSeconds: 60, motorCurrentA: 18, hydraulicBar: 40 },
  { type: 'assembly', idealCycleSeconds: 20, motorCurrentA: 12, hydraulicBar: 60 },
  { type: 'test', idealCycleSeconds: 15, motorCurrentA: 8, hydraulicBar: 30 },
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** Fixed UTC offsets of the plants in turn (Europe, US east, China, UK, India). */
const PLANT_UTC_OFFSETS_MINUTES = [60, -300, 480, 0, 330];

/** The names one asset has in each source system. */
export interface SimAsset {
  hierarchy: Hierarchy;
  plantIndex: number;
  profile: AssetType;
  /** PI point prefix, e.g. `PLT1.L2.PRESS3`; points are `<prefix>.TEMP` etc. */
  piTagPrefix: string;
  /** Citect tag prefix, e.g. `PLT1_L2_PRESS3`. */
  citectTagPrefix: string;
  /** Ampla location and Citect equipment: `acme.plt1.plt1-l2.plt1-l2-press3`. */
  dottedPath: string;
  /** DAS asset reference: `acme/plt1/plt1-l2/plt1-l2-press3`. */
  slashPath: string;
  dasDeviceId: string;
  /** Of the plant: Citect writes local times with this offset; the shift calendar runs on it. */
  utcOffsetMinutes: number;
  /** DAS boxes of a US vendor report °F, in/s and psi; the DAS normaliser converts them. */
  dasImperialUnits: boolean;
}

export interface SimPlant {
  plantId: string;
  utcOffsetMinutes: number;
  lines: { lineId: string; assets: SimAsset[] }[];
}

export interface TopologyOptions {
  enterpriseId?: string;
  plants?: number;
  lines?: number;
  /** Assets per line. */
  assets?: number;
}

/** PI points of every asset: suffix → measure and unit. */
export const PI_POINTS = [
  { suffix: 'TEMP', measure: 'process-temperature', unit: '°C' },
  { suffix: 'SPEED', measure: 'speed', unit: 'cycles/min' },
  { suffix: 'POWER', measure: 'power', unit: 'kW' },
  { suffix: 'HYD_PRESS', measure: 'hydraulic-pressure', unit: 'bar' },
] as const;

export class PlantTopology {
  readonly enterpriseId: string;
  readonly plants: SimPlant[] = [];
  readonly assets: SimAsset[] = [];
  readonly tagTable: PiTagTable;

  constructor(options: TopologyOptions = {}) {
    this.enterpriseId = options.enterpriseId ?? 'acme';
    const plantCount = options.plants ?? 2;
    const lineCount = options.lines ?? 3;
    const assetCount = options.assets ?? 6;
    for (const [name, n] of [['plants', plantCount], ['lines', lineCount], ['assets', assetCount]] as const) {
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, got ${n}`);
    }
    for (let p = 1; p <= plantCount; p++) {
      const plantId = `plt${p}`;
      const plant: SimPlant = { plantId, utcOffsetMinutes: PLANT_UTC_OFFSETS_MINUTES[(p - 1) % PLANT_UTC_OFFSETS_MINUTES.length], lines: [] };
      for (let l = 1; l <= lineCount; l++) {
        const lineId = `${plantId}-l${l}`;
        const assets: SimAsset[] = [];
        for (let a = 1; a <= assetCount; a++) {
          const profile = ASSET_TYPES[(a - 1) % ASSET_TYPES.length];
          const station = `${profile.type}${a}`;
          const assetId = `${lineId}-${station}`;
          const hierarchy = { enterpriseId: this.enterpriseId, plantId, lineId, assetId };
          const asset: SimAsset = {
            hierarchy,
            plantIndex: p - 1,
            profile,
            piTagPrefix: `PLT${p}.L${l}.${station.toUpperCase()}`,
            citectTagPrefix: `PLT${p}_L${l}_${station.toUpperCase()}`,
            dottedPath: [this.enterpriseId, plantId, lineId, assetId].join('.'),
            slashPath: [this.enterpriseId, plantId, lineId, assetId].join('/'),
            dasDeviceId: `das-${assetId}`,
            utcOffsetMinutes: plant.utcOffsetMinutes,
            dasImperialUnits: p % 2 === 0,
          };
          assets.push(asset);
          this.assets.push(asset);
        }
        plant.lines.push({ lineId, assets });
      }
      this.plants.push(plant);
    }
    const entries: [string, PiTagMapping][] = this.assets.flatMap((asset) =>
      PI_POINTS.map((point): [string, PiTagMapping] => [
        `${asset.piTagPrefix}.${point.suffix}`,
        { ...asset.hierarchy, measure: point.measure, unit: point.unit },
      ]),
    );
    this.tagTable = new PiTagTable(entries);
  }
}
