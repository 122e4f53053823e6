import { Args, Context, ID, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Scopes } from '@plant/auth';
import { RequiresScopes } from '@plant/graphql';
import { Asset, Trend } from './trend.models';
import { TrendLoader, TrendService } from './trend.service';

export interface HistoryContext {
  trends: TrendLoader;
  /** Aborted when the gateway closes the HTTP request before the answer. */
  signal?: AbortSignal;
}

const MEASURE_DOC = 'Sensor or tag measure, e.g. temperature, vibration, motor_current, pressure.';
const LAST_DOC = 'How far back from now: 90s, 15m, 1h, 7d (at most 31d).';
const BUCKET_DOC = 'Bucket width: 10s, 1m, 1h (at most 2,000 buckets).';

@Resolver(() => Asset)
export class AssetTrendResolver {
  constructor(private readonly trends: TrendService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Asset {
    return { id: reference.id };
  }

  @ResolveField(() => Trend, { description: 'Trend of one measure of this asset (Timestream); empty for assets of other plants than the caller’s.' })
  @RequiresScopes(Scopes.TRENDS_READ)
  trend(
    @Parent() asset: Asset,
    @Args('measure', { description: MEASURE_DOC }) measure: string,
    @Args('last', { defaultValue: '1h', description: LAST_DOC }) last: string,
    @Args('bucket', { defaultValue: '1m', description: BUCKET_DOC }) bucket: string,
    @Context() ctx: HistoryContext,
  ): Promise<Trend> {
    return this.trends.trend(ctx.trends, asset.id, measure, last, bucket);
  }

  @Query(() => Trend, { description: 'Trend of one measure of an asset, for clients that start from an asset id.' })
  @RequiresScopes(Scopes.TRENDS_READ)
  assetTrend(
    @Args('assetId', { type: () => ID }) assetId: string,
    @Args('measure', { description: MEASURE_DOC }) measure: string,
    @Args('last', { defaultValue: '1h', description: LAST_DOC }) last: string,
    @Args('bucket', { defaultValue: '1m', description: BUCKET_DOC }) bucket: string,
    @Context() ctx: HistoryContext,
  ): Promise<Trend> {
    return this.trends.trend(ctx.trends, assetId, measure, last, bucket);
  }
}
