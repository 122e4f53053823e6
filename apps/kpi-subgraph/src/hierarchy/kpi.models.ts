import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { KpiSnapshot } from '@plant/domain';
import { kpiScopeEnumOf, KpiScopeEnum, kpiWindowEnumOf, KpiWindowEnum } from '../graphql/graphql-enums';

@ObjectType({ description: 'Downtime of one reason within a KPI window.' })
export class DowntimeReason {
  @Field()
  reasonCode!: string;

  @Field(() => Float)
  seconds!: number;
}

@ObjectType({
  description:
    'KPI figures of an asset, line or plant over the current instance of a window. OEE = availability × performance × quality.',
})
export class Kpi {
  @Field(() => KpiScopeEnum)
  scope!: KpiScopeEnum;

  @Field({ description: 'Asset, line or plant id according to scope.' })
  scopeId!: string;

  @Field(() => KpiWindowEnum)
  window!: KpiWindowEnum;

  @Field({ description: 'ISO-8601 start of the window instance.' })
  windowStart!: string;

  @Field({ description: 'ISO-8601 end of the window instance.' })
  windowEnd!: string;

  @Field(() => Float, { description: '0..1' })
  oee!: number;

  @Field(() => Float, { description: 'run time / planned production time, 0..1' })
  availability!: number;

  @Field(() => Float, { description: 'ideal cycle time × total count / run time, 0..1' })
  performance!: number;

  @Field(() => Float, { description: 'good count / total count, 0..1' })
  quality!: number;

  @Field(() => Int)
  goodCount!: number;

  @Field(() => Int)
  scrapCount!: number;

  @Field(() => Float, { description: 'Good parts per hour over the window so far.' })
  throughputPerHour!: number;

  @Field(() => Float)
  runSeconds!: number;

  @Field(() => Float, { description: 'Total downtime in the window.' })
  downtimeSeconds!: number;

  @Field(() => [DowntimeReason])
  downtimeByReason!: DowntimeReason[];

  @Field({ description: 'ISO-8601 event time of the newest event folded in.' })
  lastEventTime!: string;

  @Field({ description: 'ISO-8601 time the figures were written.' })
  updatedAt!: string;

  /** Kept for the `asset`, `line` and `plant` fields, which need no store read. */
  snapshot!: KpiSnapshot;
}

export function toKpi(snapshot: KpiSnapshot): Kpi {
  return {
    scope: kpiScopeEnumOf(snapshot.scope),
    scopeId: snapshot.scopeId,
    window: kpiWindowEnumOf(snapshot.window),
    windowStart: snapshot.windowStart,
    windowEnd: snapshot.windowEnd,
    ...snapshot.figures,
    downtimeByReason: snapshot.figures.downtimeByReason,
    lastEventTime: snapshot.lastEventTime,
    updatedAt: snapshot.updatedAt,
    snapshot,
  };
}
