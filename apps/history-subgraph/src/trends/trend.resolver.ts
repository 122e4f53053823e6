import { Args, ArgsType, Context, Field, ID, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Scopes } from '@plant/auth';
import { RequiresScopes } from '@plant/graphql';
import { Asset, Line, Plant, Trend, TrendAggregate, type TrendAggregateName, TrendFill, type TrendFillName } from './trend.models';
import { TrendLoader, TrendService } from './trend.service';

export interface HistoryContext {
  trends: TrendLoader;
  /** Aborted when the gateway closes the HTTP request before the answer. */
  signal?: AbortSignal;
}

/** The arguments of every trend field; the gateway prices `points` at one per bucket (cost-estimate). */
@ArgsType()
export class TrendArgs {
  @Field({ description: 'Sensor or tag measure, e.g. temperature, vibration, motor_current, pressure.' })
  measure!: string;

  @Field(() => String, { nullable: true, description: 'How far back from now: 90s, 15m, 1h, 7d (at most 31d); 1h when neither last nor from is given.' })
  last?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO-8601 start of the range with a zone (instead of last).' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO-8601 end of the range (exclusive; default now).' })
  to?: string | null;

  @Field({ defaultValue: '1m', description: 'Bucket width: 10s, 1m, 1h, 1d (day buckets start at the plant’s local midnight); at most 50,000 buckets.' })
  bucket!: string;

  @Field(() => [TrendAggregate], { nullable: true, description: 'Aggregates to compute (default AVG, MIN, MAX, COUNT); the others answer null.' })
  aggregates?: TrendAggregateName[] | null;

  @Field(() => TrendFill, { nullable: true, description: 'Empty buckets (default NONE: left out).' })
  fill?: TrendFillName | null;
}

const DOC = (what: string) => `Trend of one measure of ${what} (Timestream or InfluxDB); empty for other plants than the caller’s.`;

@Resolver(() => Asset)
export class AssetTrendResolver {
  constructor(private readonly trends: TrendService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Asset {
    return { id: reference.id };
  }

  @ResolveField(() => Trend, { description: DOC('this asset') })
  @RequiresScopes(Scopes.TRENDS_READ)
  trend(@Parent() asset: Asset, @Args() args: TrendArgs, @Context() ctx: HistoryContext): Promise<Trend> {
    return this.trends.trend(ctx.trends, 'asset', asset.id, args);
  }

  @Query(() => Trend, { description: 'Trend of one measure of an asset, for clients that start from an asset id.' })
  @RequiresScopes(Scopes.TRENDS_READ)
  assetTrend(@Args('assetId', { type: () => ID }) assetId: string, @Args() args: TrendArgs, @Context() ctx: HistoryContext): Promise<Trend> {
    return this.trends.trend(ctx.trends, 'asset', assetId, args);
  }
}

@Resolver(() => Line)
export class LineTrendResolver {
  constructor(private readonly trends: TrendService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Line {
    return { id: reference.id };
  }

  @ResolveField(() => Trend, { description: `${DOC('every asset of this line, pooled')}` })
  @RequiresScopes(Scopes.TRENDS_READ)
  trend(@Parent() line: Line, @Args() args: TrendArgs, @Context() ctx: HistoryContext): Promise<Trend> {
    return this.trends.trend(ctx.trends, 'line', line.id, args);
  }
}

@Resolver(() => Plant)
export class PlantTrendResolver {
  constructor(private readonly trends: TrendService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Plant {
    return { id: reference.id };
  }

  @ResolveField(() => Trend, { description: 'Trend of one measure of every asset of this plant, pooled; NOT_FOUND for a plant outside the caller’s.' })
  @RequiresScopes(Scopes.TRENDS_READ)
  trend(@Parent() plant: Plant, @Args() args: TrendArgs, @Context() ctx: HistoryContext): Promise<Trend> {
    return this.trends.trend(ctx.trends, 'plant', plant.id, args);
  }
}
