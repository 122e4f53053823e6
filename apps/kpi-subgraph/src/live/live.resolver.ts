import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { canSeePlant } from '@plant/auth';
import type { Alert as DomainAlert, KpiSnapshot } from '@plant/domain';
import { Scopes } from '@plant/auth';
import { RequiresScopes } from '@plant/graphql';
import { Alert, toAlert } from '../alerts/alert.models';
import { ForbiddenError } from '@plant/graphql';
import { toGraphQLError } from '../graphql/api-errors';
import type { RequestContext } from '../graphql/request-context';
import { HierarchyService } from '../hierarchy/hierarchy.service';
import { AlertSeverityEnum, KpiWindowEnum, kpiWindowOf, severityOf } from '../graphql/graphql-enums';
import { Kpi, toKpi } from '../hierarchy/kpi.models';
import { ChangeFeedService } from './change-feed.service';
import { alertRaisedFilterOf, alertRaisedMatches, kpiMatches, kpiTargetOf } from './subscription-filters';

@Resolver()
export class LiveResolver {
  constructor(
    private readonly changeFeed: ChangeFeedService,
    private readonly hierarchy: HierarchyService,
  ) {}

  @Subscription(() => Kpi, {
    description: 'KPI changes of exactly one asset, line or plant (its own figures), every window unless `window` is given.',
    resolve: (snapshot: KpiSnapshot) => toKpi(snapshot),
  })
  @RequiresScopes(Scopes.KPI_READ)
  async kpiUpdated(
    @Args('assetId', { type: () => ID, nullable: true }) assetId: string | undefined,
    @Args('lineId', { type: () => ID, nullable: true }) lineId: string | undefined,
    @Args('plantId', { type: () => ID, nullable: true }) plantId: string | undefined,
    @Args('window', { type: () => KpiWindowEnum, nullable: true }) window: KpiWindowEnum | undefined,
    @Context() ctx: RequestContext,
  ): Promise<AsyncIterableIterator<KpiSnapshot>> {
    const target = validated(() => kpiTargetOf({ assetId, lineId, plantId, window: window ? kpiWindowOf(window) : undefined }));
    // A scoped caller may follow only entities of its plants: another plant's (or an unknown) id is refused.
    if (ctx.identity.plants !== '*' && !(await this.hierarchy.visiblePlantOf(ctx, target.scope, target.id))) {
      throw toGraphQLError(new ForbiddenError(`${target.scope} "${target.id}" is not one of your plants`));
    }
    return this.changeFeed.kpiUpdates((snapshot) => kpiMatches(target, snapshot) && canSeePlant(ctx.identity, snapshot.hierarchy.plantId));
  }

  @Subscription(() => Alert, {
    description: 'Alerts as they are raised, optionally of one plant and at least a severity.',
    resolve: (alert: DomainAlert) => toAlert(alert),
  })
  @RequiresScopes(Scopes.ALERTS_READ)
  alertRaised(
    @Args('plantId', { type: () => ID, nullable: true }) plantId: string | undefined,
    @Args('minSeverity', { type: () => AlertSeverityEnum, nullable: true }) minSeverity: AlertSeverityEnum | undefined,
    @Context() ctx: RequestContext,
  ): AsyncIterableIterator<DomainAlert> {
    const filter = validated(() => alertRaisedFilterOf({ plantId, minSeverity: minSeverity ? severityOf(minSeverity) : undefined }));
    if (filter.plantId !== undefined && !canSeePlant(ctx.identity, filter.plantId)) {
      throw toGraphQLError(new ForbiddenError(`plant "${filter.plantId}" is not one of your plants`));
    }
    // Without a plant: every plant the caller may see, filtered per event.
    return this.changeFeed.alertChanges((alert) => alertRaisedMatches(filter, alert) && canSeePlant(ctx.identity, alert.plantId));
  }
}

/** Subscription errors skip Apollo's formatError (graphql-ws sends them), so they carry their code here. */
function validated<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    throw toGraphQLError(err);
  }
}
