import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

export { Line, Plant } from '../entities.models';

@ObjectType({ description: 'KPIs of one production day (06:00–06:00 UTC) from the refined zone; OEE from the summed counters.' })
export class DailyKpi {
  @Field({ description: 'Production day, yyyy-MM-dd (the date of its 06:00 UTC start).' })
  day!: string;

  @Field(() => Int)
  goodCount!: number;

  @Field(() => Int)
  scrapCount!: number;

  @Field(() => Float)
  runSeconds!: number;

  @Field(() => Float)
  downtimeSeconds!: number;

  @Field(() => Float)
  availability!: number;

  @Field(() => Float)
  performance!: number;

  @Field(() => Float)
  quality!: number;

  @Field(() => Float)
  oee!: number;
}

@ObjectType({ description: 'One bar of a downtime Pareto chart: a reason, its share and the running total (largest first).' })
export class DowntimeParetoEntry {
  @Field()
  reasonCode!: string;

  @Field(() => Float)
  downtimeSeconds!: number;

  @Field(() => Int, { description: 'Downtime events with this reason.' })
  events!: number;

  @Field(() => Float, { description: 'Share of all downtime in the range, 0–100.' })
  percent!: number;

  @Field(() => Float, { description: 'Share of this reason and every larger one, 0–100.' })
  cumulativePercent!: number;
}

@ObjectType({ description: 'One shift of a line (early 06–14, late 14–22, night 22–06 UTC) from the refined zone.' })
export class ShiftReport {
  @Field({ description: 'ISO-8601 start of the shift.' })
  shiftStart!: string;

  @Field({ description: 'early, late or night.' })
  shiftName!: string;

  @Field(() => Int)
  goodCount!: number;

  @Field(() => Int)
  scrapCount!: number;

  @Field(() => Float)
  runSeconds!: number;

  @Field(() => Float)
  downtimeSeconds!: number;

  @Field(() => Float)
  availability!: number;

  @Field(() => Float)
  performance!: number;

  @Field(() => Float)
  quality!: number;

  @Field(() => Float)
  oee!: number;

  @Field({ nullable: true, description: 'Reason with the most downtime in the shift; null without downtime.' })
  topDowntimeReason?: string;

  @Field(() => Float, { nullable: true })
  topDowntimeSeconds?: number;
}

@ObjectType({ description: 'One event of an asset as the curated zone holds it (typed, deduplicated by eventId).' })
export class RawEvent {
  @Field(() => ID)
  eventId!: string;

  @Field()
  source!: string;

  @Field({ description: 'measurement, production, downtime, quality, machine-state or alarm.' })
  kind!: string;

  @Field({ description: 'ISO-8601 event time.' })
  eventTime!: string;

  @Field({ description: 'ISO-8601 ingest time.' })
  ingestTime!: string;

  @Field({ nullable: true })
  measure?: string;

  @Field(() => Float, { nullable: true })
  value?: number;

  @Field({ nullable: true })
  quality?: string;

  @Field(() => Int, { nullable: true })
  goodCount?: number;

  @Field(() => Int, { nullable: true })
  scrapCount?: number;

  @Field(() => Float, { nullable: true })
  idealCycleSeconds?: number;

  @Field({ nullable: true })
  state?: string;

  @Field({ nullable: true })
  reasonCode?: string;
}

@ObjectType()
export class RawEventEdge {
  @Field({ description: 'Pass as `after` to continue after this event.' })
  cursor!: string;

  @Field(() => RawEvent)
  node!: RawEvent;
}

@ObjectType()
export class RawEventPageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field({ nullable: true })
  endCursor?: string;
}

@ObjectType({ description: 'Events of an asset, oldest first (event time, then id).' })
export class RawEventConnection {
  @Field(() => [RawEventEdge])
  edges!: RawEventEdge[];

  @Field(() => RawEventPageInfo)
  pageInfo!: RawEventPageInfo;
}
