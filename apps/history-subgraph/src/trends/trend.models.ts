import { Directive, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

/** The kpi-subgraph owns Asset; this subgraph adds trend fields to it, keyed by id. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Asset {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'Aggregate of the readings of one measure within one time bucket.' })
export class TrendPoint {
  @Field({ description: 'ISO-8601 start of the bucket.' })
  time!: string;

  @Field(() => Float)
  avg!: number;

  @Field(() => Float)
  min!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => Int, { description: 'Readings in the bucket.' })
  count!: number;
}

@ObjectType({ description: 'A measure of an asset over time, aggregated into buckets (oldest first).' })
export class Trend {
  @Field(() => ID)
  assetId!: string;

  @Field()
  measure!: string;

  @Field({ nullable: true, description: 'Unit of the readings, when the source reports one.' })
  unit?: string;

  @Field(() => Int)
  bucketSeconds!: number;

  @Field(() => [TrendPoint])
  points!: TrendPoint[];
}
