import { Args, Context, Int, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Scopes } from '@plant/auth';
import { RequiresScopes } from '@plant/graphql';
import { Asset } from '../trends/trend.models';
import { DailyKpi, DowntimeParetoEntry, Line, Plant, RawEventConnection, ShiftReport } from './report.models';
import { REPORT_LIMITS } from './report-args';
import { ReportLoaders, ReportService } from './report.service';

export interface ReportContext {
  reports: ReportLoaders;
}

const FROM_DOC = 'First production day, yyyy-MM-dd (days run 06:00–06:00 UTC).';
const TO_DOC = `Last production day, inclusive; at most ${REPORT_LIMITS.maxDays} days after from.`;
const DAILY_DOC = 'Daily OEE and counts per production day from the lake (Athena over the refined zone), oldest first; empty for other plants than the caller’s.';
const PARETO_DOC = 'Downtime per reason over the range, largest first, with each reason’s share and the cumulative share (Pareto).';

@Resolver(() => Plant)
export class PlantReportResolver {
  constructor(private readonly reports: ReportService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Plant {
    return { id: reference.id };
  }

  @ResolveField(() => [DailyKpi], { description: DAILY_DOC })
  @RequiresScopes(Scopes.REPORTS_READ)
  dailyKpis(@Parent() plant: Plant, @Args('from', { description: FROM_DOC }) from: string, @Args('to', { description: TO_DOC }) to: string, @Context() ctx: ReportContext) {
    return this.reports.dailyKpis(ctx.reports, 'plant', plant.id, from, to);
  }

  @ResolveField(() => [DowntimeParetoEntry], { description: PARETO_DOC })
  @RequiresScopes(Scopes.REPORTS_READ)
  downtimePareto(@Parent() plant: Plant, @Args('from', { description: FROM_DOC }) from: string, @Args('to', { description: TO_DOC }) to: string, @Context() ctx: ReportContext) {
    return this.reports.downtimePareto(ctx.reports, 'plant', plant.id, from, to);
  }
}

@Resolver(() => Line)
export class LineReportResolver {
  constructor(private readonly reports: ReportService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Line {
    return { id: reference.id };
  }

  @ResolveField(() => [DailyKpi], { description: DAILY_DOC })
  @RequiresScopes(Scopes.REPORTS_READ)
  dailyKpis(@Parent() line: Line, @Args('from', { description: FROM_DOC }) from: string, @Args('to', { description: TO_DOC }) to: string, @Context() ctx: ReportContext) {
    return this.reports.dailyKpis(ctx.reports, 'line', line.id, from, to);
  }

  @ResolveField(() => [DowntimeParetoEntry], { description: PARETO_DOC })
  @RequiresScopes(Scopes.REPORTS_READ)
  downtimePareto(@Parent() line: Line, @Args('from', { description: FROM_DOC }) from: string, @Args('to', { description: TO_DOC }) to: string, @Context() ctx: ReportContext) {
    return this.reports.downtimePareto(ctx.reports, 'line', line.id, from, to);
  }

  @ResolveField(() => [ShiftReport], { description: 'The three shifts (early, late, night) of one production day of this line, from the refined zone.' })
  @RequiresScopes(Scopes.REPORTS_READ)
  shiftReport(@Parent() line: Line, @Args('date', { description: 'Production day, yyyy-MM-dd.' }) date: string, @Context() ctx: ReportContext): Promise<ShiftReport[]> {
    return this.reports.shiftReport(ctx.reports, line.id, date);
  }
}

@Resolver(() => Asset)
export class AssetReportResolver {
  constructor(private readonly reports: ReportService) {}

  @ResolveField(() => [DailyKpi], { description: DAILY_DOC })
  @RequiresScopes(Scopes.REPORTS_READ)
  dailyKpis(@Parent() asset: Asset, @Args('from', { description: FROM_DOC }) from: string, @Args('to', { description: TO_DOC }) to: string, @Context() ctx: ReportContext) {
    return this.reports.dailyKpis(ctx.reports, 'asset', asset.id, from, to);
  }

  @ResolveField(() => [DowntimeParetoEntry], { description: PARETO_DOC })
  @RequiresScopes(Scopes.REPORTS_READ)
  downtimePareto(@Parent() asset: Asset, @Args('from', { description: FROM_DOC }) from: string, @Args('to', { description: TO_DOC }) to: string, @Context() ctx: ReportContext) {
    return this.reports.downtimePareto(ctx.reports, 'asset', asset.id, from, to);
  }

  @ResolveField(() => RawEventConnection, { description: 'Audit: the asset’s events as the curated zone holds them, oldest first (analyst, admin).' })
  @RequiresScopes(Scopes.AUDIT_READ)
  rawEvents(
    @Parent() asset: Asset,
    @Args('from', { description: 'ISO-8601 start, inclusive.' }) from: string,
    @Args('to', { description: `ISO-8601 end, exclusive; at most ${REPORT_LIMITS.maxRawEventDays} days after from.` }) to: string,
    @Args('first', { type: () => Int, defaultValue: REPORT_LIMITS.defaultFirst, description: `Events per page, 1–${REPORT_LIMITS.maxFirst}.` }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'Cursor of the last event of the previous page.' }) after: string | undefined,
    @Context() ctx: ReportContext,
  ): Promise<RawEventConnection> {
    return this.reports.rawEvents(ctx.reports, asset.id, from, to, first, after ?? undefined);
  }
}
