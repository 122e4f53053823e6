import { Args, ArgsType, Context, Field, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Scopes } from '@plant/auth';
import { RequiresScopes } from '@plant/graphql';
import { KpiWindowEnum } from '../graphql/graphql-enums';
import type { RequestContext } from '../graphql/request-context';
import { Asset, Line, Plant } from '../hierarchy/hierarchy.models';
import { Kpi } from '../hierarchy/kpi.models';
import { KpiHistoryService } from './kpi-history.service';

@ArgsType()
export class KpiRangeArgs {
  @Field(() => KpiWindowEnum, { description: 'Window of the instances.' })
  window!: KpiWindowEnum;

  @Field({ description: 'ISO-8601 start with a zone; at most 2 days back for ONE_MINUTE, 14 days for FIFTEEN_MINUTES, 93 for SHIFT, 400 for DAY.' })
  from!: string;

  @Field(() => String, { nullable: true, description: 'ISO-8601 end (exclusive; default now). At most 2,880 instances per call.' })
  to?: string | null;
}

const DOC = 'Every stored instance of the window overlapping [from, to), oldest first, from the live KPI table (recent history; months: dailyKpis from the lake).';

@Resolver(() => Plant)
export class PlantKpiHistoryResolver {
  constructor(private readonly history: KpiHistoryService) {}

  @ResolveField(() => [Kpi], { description: DOC })
  @RequiresScopes(Scopes.KPI_READ)
  kpis(@Parent() plant: Plant, @Args() args: KpiRangeArgs, @Context() ctx: RequestContext): Promise<Kpi[]> {
    return this.history.kpis(ctx, 'plant', plant.id, args.window, args.from, args.to);
  }
}

@Resolver(() => Line)
export class LineKpiHistoryResolver {
  constructor(private readonly history: KpiHistoryService) {}

  @ResolveField(() => [Kpi], { description: DOC })
  @RequiresScopes(Scopes.KPI_READ)
  kpis(@Parent() line: Line, @Args() args: KpiRangeArgs, @Context() ctx: RequestContext): Promise<Kpi[]> {
    return this.history.kpis(ctx, 'line', line.id, args.window, args.from, args.to);
  }
}

@Resolver(() => Asset)
export class AssetKpiHistoryResolver {
  constructor(private readonly history: KpiHistoryService) {}

  @ResolveField(() => [Kpi], { description: DOC })
  @RequiresScopes(Scopes.KPI_READ)
  kpis(@Parent() asset: Asset, @Args() args: KpiRangeArgs, @Context() ctx: RequestContext): Promise<Kpi[]> {
    return this.history.kpis(ctx, 'asset', asset.id, args.window, args.from, args.to);
  }
}
