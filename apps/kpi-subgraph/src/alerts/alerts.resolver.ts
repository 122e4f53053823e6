import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { RequestContext } from '../graphql/request-context';
import { Asset } from '../hierarchy/hierarchy.models';
import { Alert, AlertConnection, AlertFilterInput, alertAsset } from './alert.models';
import { AlertsService } from './alerts.service';

@Resolver(() => Alert)
export class AlertsResolver {
  constructor(private readonly alertsService: AlertsService) {}

  @Query(() => AlertConnection, { description: 'Alerts matching the filter, newest first, a page at a time.' })
  alerts(
    @Args('filter', { type: () => AlertFilterInput, nullable: true }) filter: AlertFilterInput | undefined,
    @Args('first', { type: () => Int, defaultValue: 20, description: '1..100' }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | undefined,
  ): Promise<AlertConnection> {
    return this.alertsService.list(filter, first, after ?? undefined);
  }

  @Mutation(() => Alert, {
    description: 'Acknowledges an open alert as the calling user; an alert no longer open is returned unchanged.',
  })
  acknowledgeAlert(@Args('alertId', { type: () => ID }) alertId: string, @Context() ctx: RequestContext): Promise<Alert> {
    return this.alertsService.acknowledge(alertId, ctx.userId);
  }

  @ResolveField(() => Asset)
  asset(@Parent() alert: Alert): Asset {
    return alertAsset(alert);
  }
}
