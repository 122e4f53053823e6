import { Args, Context, ID, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Scopes } from '@plant/auth';
import { RequiresScopes } from '@plant/graphql';
import { KpiWindowEnum, kpiWindowOf } from '../graphql/graphql-enums';
import type { RequestContext } from '../graphql/request-context';
import { HierarchyService } from './hierarchy.service';
import { Asset, AssetState, Line, Plant, SensorReading } from './hierarchy.models';
import { Kpi } from './kpi.models';

@Resolver(() => Asset)
export class AssetResolver {
  constructor(private readonly hierarchy: HierarchyService) {}

  @Query(() => Asset, { nullable: true, description: 'NOT_FOUND error when the asset is unknown or of another plant than the caller’s.' })
  @RequiresScopes(Scopes.KPI_READ)
  asset(@Args('id', { type: () => ID }) id: string, @Context() ctx: RequestContext): Promise<Asset> {
    return this.hierarchy.asset(ctx, id);
  }

  /** Batched: all Asset references of one `_entities` call become one repository read. */
  @ResolveReference()
  resolveReference(reference: { id: string }, ctx: RequestContext): Promise<Asset | undefined> {
    return this.hierarchy.findAsset(ctx, reference.id);
  }

  @ResolveField(() => Line)
  line(@Parent() asset: Asset): Line {
    return { id: asset.lineId, enterpriseId: asset.enterpriseId, plantId: asset.plantId };
  }

  @ResolveField(() => Plant)
  plant(@Parent() asset: Asset): Plant {
    return { id: asset.plantId, enterpriseId: asset.enterpriseId };
  }

  @ResolveField(() => AssetState, { nullable: true, description: 'Null until a state event was recorded.' })
  state(@Parent() asset: Asset, @Context() ctx: RequestContext): Promise<AssetState | undefined> {
    return this.hierarchy.assetState(ctx.loaders, asset.id);
  }

  @ResolveField(() => [SensorReading], { description: 'Latest value per measure.' })
  sensors(@Parent() asset: Asset, @Context() ctx: RequestContext): Promise<SensorReading[]> {
    return this.hierarchy.sensors(ctx.loaders, asset.id);
  }

  @ResolveField(() => Kpi, { nullable: true, description: 'Null until an event was folded into the current window.' })
  kpi(
    @Parent() asset: Asset,
    @Args('window', { type: () => KpiWindowEnum, defaultValue: KpiWindowEnum.FIFTEEN_MINUTES }) window: KpiWindowEnum,
    @Context() ctx: RequestContext,
  ): Promise<Kpi | undefined> {
    return this.hierarchy.currentKpi(ctx.loaders, 'asset', asset.id, kpiWindowOf(window));
  }
}
