import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { Alert as DomainAlert, KpiSnapshot } from '@plant/domain';
import { Alert, toAlert } from '../alerts/alert.models';
import { toGraphQLError } from '../graphql/api-errors';
import { AlertSeverityEnum, KpiWindowEnum, kpiWindowOf, severityOf } from '../graphql/graphql-enums';
import { Kpi, toKpi } from '../hierarchy/kpi.models';
import { ChangeFeedService } from './change-feed.service';
import { alertRaisedFilterOf, alertRaisedMatches, kpiMatches, kpiTargetOf } from './subscription-filters';

@Resolver()
export class LiveResolver {
  constructor(private readonly changeFeed: ChangeFeedService) {}

  @Subscription(() => Kpi, {
    description: 'KPI changes of exactly one asset, line or plant (its own figures), every window unless `window` is given.',
    resolve: (snapshot: KpiSnapshot) => toKpi(snapshot),
  })
  kpiUpdated(
    @Args('assetId', { type: () => ID, nullable: true }) assetId?: string,
    @Args('lineId', { type: () => ID, nullable: true }) lineId?: string,
    @Args('plantId', { type: () => ID, nullable: true }) plantId?: string,
    @Args('window', { type: () => KpiWindowEnum, nullable: true }) window?: KpiWindowEnum,
  ): AsyncIterableIterator<KpiSnapshot> {
    const target = validated(() => kpiTargetOf({ assetId, lineId, plantId, window: window ? kpiWindowOf(window) : undefined }));
    return this.changeFeed.kpiUpdates((snapshot) => kpiMatches(target, snapshot));
  }

  @Subscription(() => Alert, {
    description: 'Alerts as they are raised, optionally of one plant and at least a severity.',
    resolve: (alert: DomainAlert) => toAlert(alert),
  })
  alertRaised(
    @Args('plantId', { type: () => ID, nullable: true }) plantId?: string,
    @Args('minSeverity', { type: () => AlertSeverityEnum, nullable: true }) minSeverity?: AlertSeverityEnum,
  ): AsyncIterableIterator<DomainAlert> {
    const filter = validated(() => alertRaisedFilterOf({ plantId, minSeverity: minSeverity ? severityOf(minSeverity) : undefined }));
    return this.changeFeed.alertChanges((alert) => alertRaisedMatches(filter, alert));
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
