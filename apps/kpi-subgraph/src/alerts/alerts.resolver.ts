import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Scopes } from '@plant/auth';
import { RequiresScopes } from '@plant/graphql';
import type { RequestContext } from '../graphql/request-context';
import { Asset } from '../hierarchy/hierarchy.models';
import { Alert, AlertConnection, AlertFilterInput, alertAsset } from './alert.models';
import { AlertsService } from './alerts.service';

@Resolver(() => Alert)
export class AlertsResolver {
  constructor(private readonly alertsService: AlertsService) {}

  @Query(() => AlertConnection, { description: 'Alerts of the caller’s plants matching the filter, newest first, a page at a time.' })
  @RequiresScopes(Scopes.ALERTS_READ)
  alerts(
    @Args('filter', { type: () => AlertFilterInput, nullable: true }) filter: AlertFilterInput | undefined,
    @Args('first', { type: () => Int, defaultValue: 20, description: '1..100' }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<AlertConnection> {
    return this.alertsService.list(ctx.identity, filter, first, after ?? undefined);
  }

  @Mutation(() => Alert, {
    description: 'Acknowledges an open alert as the calling user; an alert no longer open is returned unchanged. Operators and admins.',
  })
  @RequiresScopes(Scopes.ALERTS_ACKNOWLEDGE)
  acknowledgeAlert(@Args('alertId', { type: () => ID }) alertId: string, @Context() ctx: RequestContext): Promise<Alert> {
    return this.alertsService.acknowledge(ctx.identity, alertId);
  }

  @ResolveField(() => Asset)
  asset(@Parent() alert: Alert): Asset {
    return alertAsset(alert);
  }
}
