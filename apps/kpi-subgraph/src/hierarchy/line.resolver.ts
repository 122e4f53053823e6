import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Scopes } from '@plant/auth';
import { RequiresScopes } from '@plant/graphql';
import { KpiWindowEnum, kpiWindowOf } from '../graphql/graphql-enums';
import type { RequestContext } from '../graphql/request-context';
import { HierarchyService } from './hierarchy.service';
import { AssetConnection, Line, Plant } from './hierarchy.models';
import { Kpi } from './kpi.models';

@Resolver(() => Line)
export class LineResolver {
  constructor(private readonly hierarchy: HierarchyService) {}

  @Query(() => Line, { nullable: true, description: 'NOT_FOUND error when the line is unknown or of another plant than the caller’s.' })
  @RequiresScopes(Scopes.KPI_READ)
  line(@Args('id', { type: () => ID }) id: string, @Context() ctx: RequestContext): Promise<Line> {
    return this.hierarchy.line(ctx, id);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }, ctx: RequestContext): Promise<Line | undefined> {
    return this.hierarchy.findLine(ctx, reference.id);
  }

  @ResolveField(() => Plant)
  plant(@Parent() line: Line): Plant {
    return { id: line.plantId, enterpriseId: line.enterpriseId };
  }

  @ResolveField(() => AssetConnection, { description: 'Assets of the line in id order, a page at a time.' })
  assets(
    @Parent() line: Line,
    @Args('first', { type: () => Int, defaultValue: 20, description: '1..100' }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | undefined,
  ): Promise<AssetConnection> {
    return this.hierarchy.assetsOf(line.id, first, after ?? undefined);
  }

  @ResolveField(() => Kpi, { nullable: true, description: 'Null until an event was folded into the current window.' })
  kpi(
    @Parent() line: Line,
    @Args('window', { type: () => KpiWindowEnum, defaultValue: KpiWindowEnum.FIFTEEN_MINUTES }) window: KpiWindowEnum,
    @Context() ctx: RequestContext,
  ): Promise<Kpi | undefined> {
    return this.hierarchy.currentKpi(ctx.loaders, 'line', line.id, kpiWindowOf(window));
  }
}
