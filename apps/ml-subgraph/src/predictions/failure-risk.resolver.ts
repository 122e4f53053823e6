import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Policies, Scopes } from '@plant/auth';
import { RequiresPolicy, RequiresScopes } from '@plant/graphql';
import { Asset } from '../features/feature.models';
import type { MlContext } from '../features/ml-context';
import { FailureRisk } from './failure-risk.models';
import { FailureRiskService, MAX_TOP_CONTRIBUTIONS } from './failure-risk.service';

/** `Asset.failureRisk`: beside the live KPIs for staff (operator, analyst, data_scientist, admin); not for partners. */
@Resolver(() => Asset)
export class AssetFailureRiskResolver {
  constructor(private readonly service: FailureRiskService) {}

  @ResolveField(() => FailureRisk, { description: 'Failure risk from the asset’s online features (staff with kpi:read; not partners). Another plant’s asset: NOT_FOUND.' })
  @RequiresScopes(Scopes.KPI_READ)
  @RequiresPolicy(Policies.STAFF)
  failureRisk(
    @Parent() asset: Asset,
    @Context() ctx: MlContext,
    @Args('top', { type: () => Int, defaultValue: 3, description: `Top contributing features to list, 1 to ${MAX_TOP_CONTRIBUTIONS}.` }) top: number,
  ): Promise<FailureRisk> {
    return this.service.failureRisk(ctx, asset.id, top);
  }
}
