import { Inject, Injectable } from '@nestjs/common';
import { canSeePlant, type Identity, plantFilterOf } from '@plant/auth';
import type { AlertFilter, AlertStore } from '@plant/domain';
import { NotFoundError } from '@plant/domain';
import { checkId, checkOptionalId, ConnectionPage, readConnectionPage } from '@plant/graphql';
import { severityOf, statusOf } from '../graphql/graphql-enums';
import { ALERT_STORE } from '../kpi-subgraph.tokens';
import { Alert, AlertFilterInput, toAlert } from './alert.models';

@Injectable()
export class AlertsService {
  constructor(@Inject(ALERT_STORE) private readonly alerts: AlertStore) {}

  /** Only alerts of the caller's plants: a filter naming another plant finds nothing, like an unknown one. */
  async list(
    identity: Pick<Identity, 'plants'>,
    input: AlertFilterInput | undefined,
    first: number | undefined,
    after: string | undefined,
  ): Promise<ConnectionPage<Alert>> {
    const filter: AlertFilter = {
      plantId: checkOptionalId('filter.plantId', input?.plantId),
      plantIds: plantFilterOf(identity),
      lineId: checkOptionalId('filter.lineId', input?.lineId),
      assetId: checkOptionalId('filter.assetId', input?.assetId),
      status: input?.status ? statusOf(input.status) : undefined,
      minSeverity: input?.minSeverity ? severityOf(input.minSeverity) : undefined,
    };
    const page = await readConnectionPage((request) => this.alerts.listAlerts(filter, request), first, after);
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toAlert(e.node) })) };
  }

  /** Acknowledging an alert that is no longer open returns it unchanged (idempotent retries). */
  async acknowledge(identity: Pick<Identity, 'plants' | 'subject'>, alertId: string, now = new Date()): Promise<Alert> {
    checkId('alertId', alertId);
    // An alert of another plant is "not found", exactly like a missing one, and stays unchanged.
    if (identity.plants !== '*') {
      const alert = await this.alerts.getAlert(alertId);
      if (!alert || !canSeePlant(identity, alert.plantId)) throw new NotFoundError('Alert', alertId);
    }
    const updated = await this.alerts.acknowledgeAlert(alertId, identity.subject, now.toISOString());
    if (!updated) throw new NotFoundError('Alert', alertId);
    return toAlert(updated);
  }
}
