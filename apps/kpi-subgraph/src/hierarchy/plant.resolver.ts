import { Args, Context, ID, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Scopes } from '@plant/auth';
import { RequiresScopes } from '@plant/graphql';
import { KpiWindowEnum, kpiWindowOf } from '../graphql/graphql-enums';
import type { RequestContext } from '../graphql/request-context';
import { HierarchyService } from './hierarchy.service';
import { Line, Plant } from './hierarchy.models';
import { Kpi } from './kpi.models';

@Resolver(() => Plant)
export class PlantResolver {
  constructor(private readonly hierarchy: HierarchyService) {}

  @Query(() => [Plant], { description: 'Every plant the caller may see (a partner: its own plants).' })
  @RequiresScopes(Scopes.KPI_READ)
  plants(@Context() ctx: RequestContext): Promise<Plant[]> {
    return this.hierarchy.plants(ctx);
  }

  @Query(() => Plant, { nullable: true, description: 'NOT_FOUND error when the plant is unknown or not the caller’s.' })
  @RequiresScopes(Scopes.KPI_READ)
  plant(@Args('id', { type: () => ID }) id: string, @Context() ctx: RequestContext): Promise<Plant> {
    return this.hierarchy.plant(ctx, id);
  }

  /** Apollo calls this with (reference, context); unknown ids resolve to null. */
  @ResolveReference()
  resolveReference(reference: { id: string }, ctx: RequestContext): Promise<Plant | undefined> {
    return this.hierarchy.findPlant(ctx, reference.id);
  }

  @ResolveField(() => [Line])
  lines(@Parent() plant: Plant, @Context() ctx: RequestContext): Promise<Line[]> {
    return this.hierarchy.linesOf(ctx.loaders, plant.id);
  }

  @ResolveField(() => Kpi, { nullable: true, description: 'Null until an event was folded into the current window.' })
  kpi(
    @Parent() plant: Plant,
    @Args('window', { type: () => KpiWindowEnum, defaultValue: KpiWindowEnum.FIFTEEN_MINUTES }) window: KpiWindowEnum,
    @Context() ctx: RequestContext,
  ): Promise<Kpi | undefined> {
    return this.hierarchy.currentKpi(ctx.loaders, 'plant', plant.id, kpiWindowOf(window));
  }
}
