import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TREND_AGGREGATES, TREND_FILLS, TrendAggregate as TrendAggregateName, TrendFill as TrendFillName, TrendSubject as TrendSubjectName } from '@plant/domain';

export { Asset, Line, Plant } from '../entities.models';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const TrendAggregate = enumOf(TREND_AGGREGATES);
export const TrendFill = enumOf(TREND_FILLS);
export const TrendSubject = enumOf(['ASSET', 'LINE', 'PLANT'] as const);
registerEnumType(TrendAggregate, {
  name: 'TrendAggregate',
  description: 'AVG/MIN/MAX/P95/COUNT over the samples of a bucket; TIME_WEIGHTED_AVG holds each value until the next sample; GOOD_PERCENT: share of good-quality samples.',
});
registerEnumType(TrendFill, { name: 'TrendFill', description: 'Empty buckets: NONE leaves them out, PREVIOUS repeats the last bucket with data, LINEAR interpolates between neighbours.' });
registerEnumType(TrendSubject, { name: 'TrendSubject', description: 'What a trend is over: one asset, or every asset of a line or plant pooled.' });
export type { TrendAggregateName, TrendFillName, TrendSubjectName };

@ObjectType({ description: 'Aggregates of the readings of one measure within one time bucket (null: not asked for, or no reading).' })
export class TrendPoint {
  @Field({ description: 'ISO-8601 start of the bucket (local midnight of the plant for day buckets).' })
  time!: string;

  @Field(() => Float, { nullable: true })
  avg!: number | null;

  @Field(() => Float, { nullable: true, description: 'Each reading weighted by how long it held (until the next reading); the bucket starts with the value before it.' })
  timeWeightedAvg!: number | null;

  @Field(() => Float, { nullable: true })
  min!: number | null;

  @Field(() => Float, { nullable: true })
  max!: number | null;

  @Field(() => Float, { nullable: true, description: '95th percentile of the readings (approximate on AWS Timestream).' })
  p95!: number | null;

  @Field(() => Int, { description: 'Readings in the bucket (0 for a filled bucket).' })
  count!: number;

  @Field(() => Float, { nullable: true, description: 'Percentage of readings of good quality.' })
  goodPercent!: number | null;

  @Field(() => Int)
  goodCount!: number;

  @Field(() => Int, { description: 'Readings of uncertain or unknown quality.' })
  uncertainCount!: number;

  @Field(() => Int)
  badCount!: number;

  @Field({ description: 'True when the bucket had no reading and its values come from the fill rule.' })
  filled!: boolean;
}

@ObjectType({ description: 'A measure of an asset, line or plant over time, aggregated into buckets (oldest first).' })
export class Trend {
  @Field(() => ID, { nullable: true, description: 'The asset, for an asset trend.' })
  assetId!: string | null;

  @Field(() => TrendSubject)
  subject!: keyof typeof TrendSubject;

  @Field(() => ID, { description: 'Id of the asset, line or plant.' })
  subjectId!: string;

  @Field()
  measure!: string;

  @Field({ nullable: true, description: 'Unit of the readings, when the source reports one.' })
  unit?: string;

  @Field(() => Int)
  bucketSeconds!: number;

  @Field({ description: 'ISO-8601 start of the range (inclusive).' })
  from!: string;

  @Field({ description: 'ISO-8601 end of the range (exclusive).' })
  to!: string;

  @Field(() => Int, { description: 'Offset of the plant’s time zone the buckets are aligned to, minutes east of UTC.' })
  utcOffsetMinutes!: number;

  @Field(() => [TrendAggregate])
  aggregates!: TrendAggregateName[];

  @Field(() => TrendFill)
  fill!: TrendFillName;

  @Field(() => [TrendPoint])
  points!: TrendPoint[];
}
