import { Args, Context, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Scopes } from '@plant/auth';
import { ASSET_HEALTH_FEATURE_GROUP, LINE_HEALTH_FEATURE_GROUP } from '@plant/config';
import { RequiresScopes } from '@plant/graphql';
import { Asset, FeatureValue, Line } from './feature.models';
import { FeatureService } from './feature.service';
import type { MlContext } from './ml-context';

const NAMES_DOC = 'Feature names of the group (docs/ml.md); left out: every feature. Unknown names are refused (BAD_USER_INPUT).';

/**
 * Online features of assets. `Asset.failureRisk` (the model, issue 12's other half) goes into its
 * own resolver class beside this one (apps/ml-subgraph/src/predictions/), reading the same loaders.
 */
@Resolver(() => Asset)
export class AssetFeaturesResolver {
  constructor(private readonly service: FeatureService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Asset {
    return { id: reference.id };
  }

  @ResolveField(() => [FeatureValue], { description: 'Online asset-health features of this asset (data_scientist, admin).' })
  @RequiresScopes(Scopes.ML_READ)
  features(@Parent() asset: Asset, @Context() ctx: MlContext, @Args('names', { type: () => [String], nullable: true, description: NAMES_DOC }) names?: string[]): Promise<FeatureValue[]> {
    return this.service.features(ctx.features, ctx.identity, ASSET_HEALTH_FEATURE_GROUP, 'Asset', asset.id, names);
  }
}

@Resolver(() => Line)
export class LineFeaturesResolver {
  constructor(private readonly service: FeatureService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Line {
    return { id: reference.id };
  }

  @ResolveField(() => [FeatureValue], { description: 'Online line-health features of this line (data_scientist, admin).' })
  @RequiresScopes(Scopes.ML_READ)
  features(@Parent() line: Line, @Context() ctx: MlContext, @Args('names', { type: () => [String], nullable: true, description: NAMES_DOC }) names?: string[]): Promise<FeatureValue[]> {
    return this.service.features(ctx.features, ctx.identity, LINE_HEALTH_FEATURE_GROUP, 'Line', line.id, names);
  }
}
