import { severityRank } from '@plant/domain';
import type { Alert, AlertSeverity, KpiScope, KpiSnapshot, KpiWindow } from '@plant/domain';
import { InvalidArgumentError } from '@plant/domain';
import { checkId, checkOptionalId } from '@plant/graphql';

/** Which entity's KPI a `kpiUpdated` subscription follows. */
export interface KpiTarget {
  scope: KpiScope;
  id: string;
  /** Undefined: every window of the entity. */
  window?: KpiWindow;
}

export interface KpiTargetArgs {
  assetId?: string | null;
  lineId?: string | null;
  plantId?: string | null;
  window?: KpiWindow | null;
}

/** Exactly one of assetId, lineId, plantId names the entity; anything else is a client error. */
export function kpiTargetOf(args: KpiTargetArgs): KpiTarget {
  const given = (
    [
      ['asset', 'assetId', args.assetId],
      ['line', 'lineId', args.lineId],
      ['plant', 'plantId', args.plantId],
    ] as const
  ).filter(([, , value]) => value !== undefined && value !== null);
  if (given.length !== 1) {
    throw new InvalidArgumentError('assetId|lineId|plantId', `exactly one must be given, got ${given.length}`);
  }
  const [scope, argument, value] = given[0];
  return { scope, id: checkId(argument, value as string), window: args.window ?? undefined };
}

export function kpiMatches(target: KpiTarget, snapshot: KpiSnapshot): boolean {
  return (
    snapshot.scope === target.scope &&
    snapshot.scopeId === target.id &&
    (target.window === undefined || snapshot.window === target.window)
  );
}

export interface AlertRaisedFilter {
  plantId?: string;
  minSeverity?: AlertSeverity;
}

export function alertRaisedFilterOf(args: { plantId?: string | null; minSeverity?: AlertSeverity | null }): AlertRaisedFilter {
  return { plantId: checkOptionalId('plantId', args.plantId), minSeverity: args.minSeverity ?? undefined };
}

/**
 * "Raised" = the change feed reports the alert open. Acknowledge and clear changes of the same
 * alert come through the same feed and are not raises.
 */
export function alertRaisedMatches(filter: AlertRaisedFilter, alert: Alert): boolean {
  return (
    alert.status === 'open' &&
    (filter.plantId === undefined || alert.plantId === filter.plantId) &&
    (filter.minSeverity === undefined || severityRank(alert.severity) >= severityRank(filter.minSeverity))
  );
}
