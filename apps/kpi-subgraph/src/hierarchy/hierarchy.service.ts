import { Inject, Injectable } from '@nestjs/common';
import { canSeePlant, type Identity } from '@plant/auth';
import type { AssetDirectory, KpiScope, KpiWindow } from '@plant/domain';
import { NotFoundError } from '@plant/domain';
import { checkId, ConnectionPage, readConnectionPage } from '@plant/graphql';
import type { KpiLoaders } from '../graphql/kpi-loaders';
import { ASSET_DIRECTORY } from '../kpi-subgraph.tokens';
import { Asset, AssetState, Line, Plant, SensorReading, toAsset, toAssetState, toLine, toPlant, toSensorReading } from './hierarchy.models';
import { Kpi, toKpi } from './kpi.models';

/** What a scoped read needs: the request's loaders and the caller's verified identity. */
export interface ScopedReads {
  loaders: KpiLoaders;
  identity: Pick<Identity, 'plants'>;
}

/**
 * Reads of the plant hierarchy and its current KPIs. Per-entity reads go through the request's
 * DataLoaders (batched, cached per request); list reads go to the asset directory directly.
 *
 * Plant scoping (Lake Formation's row filter, in the API): every entry point — root fields and
 * entity references — answers only entities of the caller's plants; another plant's entity is
 * "not found" exactly like a missing id. Fields below an entity need no check (same plant).
 */
@Injectable()
export class HierarchyService {
  constructor(@Inject(ASSET_DIRECTORY) private readonly directory: AssetDirectory) {}

  async plants({ loaders, identity }: ScopedReads): Promise<Plant[]> {
    return (await loaders.plants()).filter((p) => canSeePlant(identity, p.plantId)).map(toPlant);
  }

  /** Undefined when the plant is unknown or not the caller's (entity references resolve to null). */
  async findPlant({ loaders, identity }: ScopedReads, id: string): Promise<Plant | undefined> {
    if (!canSeePlant(identity, id)) return undefined;
    const info = (await loaders.plants()).find((p) => p.plantId === id);
    return info && toPlant(info);
  }

  async plant(reads: ScopedReads, id: string): Promise<Plant> {
    return (await this.findPlant(reads, checkId('id', id))) ?? notFound('Plant', id);
  }

  async linesOf(loaders: KpiLoaders, plantId: string): Promise<Line[]> {
    return (await loaders.linesOfPlant.load(plantId)).map(toLine);
  }

  /**
   * The port reads lines per plant only, so a line by id scans the (small) directory: plants once
   * per request, each plant's lines once per request through the loader.
   */
  async findLine({ loaders, identity }: ScopedReads, id: string): Promise<Line | undefined> {
    const plants = (await loaders.plants()).filter((p) => canSeePlant(identity, p.plantId));
    const lines = await loaders.linesOfPlant.loadMany(plants.map((p) => p.plantId));
    for (const list of lines) {
      if (list instanceof Error) throw list;
      const info = list.find((l) => l.lineId === id);
      if (info) return toLine(info);
    }
    return undefined;
  }

  async line(reads: ScopedReads, id: string): Promise<Line> {
    return (await this.findLine(reads, checkId('id', id))) ?? notFound('Line', id);
  }

  async findAsset({ loaders, identity }: ScopedReads, id: string): Promise<Asset | undefined> {
    const info = await loaders.asset.load(id);
    return info && canSeePlant(identity, info.plantId) ? toAsset(info) : undefined;
  }

  async asset(reads: ScopedReads, id: string): Promise<Asset> {
    return (await this.findAsset(reads, checkId('id', id))) ?? notFound('Asset', id);
  }

  /** The plant of the entity a subscription names, when the caller may see it (undefined otherwise). */
  async visiblePlantOf(reads: ScopedReads, scope: KpiScope, id: string): Promise<string | undefined> {
    switch (scope) {
      case 'plant':
        return (await this.findPlant(reads, id))?.id;
      case 'line':
        return (await this.findLine(reads, id))?.plantId;
      case 'asset':
        return (await this.findAsset(reads, id))?.plantId;
    }
  }

  async assetsOf(lineId: string, first: number | undefined, after: string | undefined): Promise<ConnectionPage<Asset>> {
    const page = await readConnectionPage((request) => this.directory.listAssets(lineId, request), first, after);
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toAsset(e.node) })) };
  }

  async assetState(loaders: KpiLoaders, assetId: string): Promise<AssetState | undefined> {
    const status = await loaders.assetStatus.load(assetId);
    return status && toAssetState(status);
  }

  async sensors(loaders: KpiLoaders, assetId: string): Promise<SensorReading[]> {
    const status = await loaders.assetStatus.load(assetId);
    return (status?.sensors ?? []).map(toSensorReading);
  }

  /** Undefined when nothing was recorded in the current window instance yet. */
  async currentKpi(loaders: KpiLoaders, scope: KpiScope, scopeId: string, window: KpiWindow): Promise<Kpi | undefined> {
    const snapshot = await loaders.currentKpi.load({ scope, scopeId, window });
    return snapshot && toKpi(snapshot);
  }
}

function notFound(entity: string, id: string): never {
  throw new NotFoundError(entity, id);
}
