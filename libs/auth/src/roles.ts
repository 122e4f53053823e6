import type { Identity, Role } from './identity';

/**
 * Scopes that the subgraph schemas name in `@requiresScopes` (the gateway enforces them). One
 * table, here: docs/security.md shows the same.
 */
export const Scopes = {
  /** Plants, lines, assets, their KPIs, states and sensors; `kpiUpdated`. */
  KPI_READ: 'kpi:read',
  /** Alerts and `alertRaised`. */
  ALERTS_READ: 'alerts:read',
  /** `acknowledgeAlert`. */
  ALERTS_ACKNOWLEDGE: 'alerts:acknowledge',
  /** `Asset.trend`, `assetTrend` (Timestream). */
  TRENDS_READ: 'trends:read',
  /** Features and predictions (ml-subgraph, filled by its issue). */
  ML_READ: 'ml:read',
  /** Lake reports: `dailyKpis`, `downtimePareto`, `shiftReport` (Athena over the refined zone). */
  REPORTS_READ: 'reports:read',
  /** The raw record of an asset for auditors: `Asset.rawEvents` (curated zone). */
  AUDIT_READ: 'audit:read',
} as const;
export type Scope = (typeof Scopes)[keyof typeof Scopes];

const { KPI_READ, ALERTS_READ, ALERTS_ACKNOWLEDGE, TRENDS_READ, ML_READ, REPORTS_READ, AUDIT_READ } = Scopes;

/** The role → scopes table. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  operator: [KPI_READ, ALERTS_READ, ALERTS_ACKNOWLEDGE, TRENDS_READ, REPORTS_READ],
  analyst: [KPI_READ, ALERTS_READ, TRENDS_READ, REPORTS_READ, AUDIT_READ],
  data_scientist: [KPI_READ, ALERTS_READ, TRENDS_READ, ML_READ],
  partner: [KPI_READ, ALERTS_READ, TRENDS_READ, REPORTS_READ],
  admin: [KPI_READ, ALERTS_READ, ALERTS_ACKNOWLEDGE, TRENDS_READ, ML_READ, REPORTS_READ, AUDIT_READ],
};

/** Policies that the subgraph schemas name in `@policy`. */
export const Policies = {
  /** The company's own people: every role but partner (e.g. who acknowledged an alert). */
  STAFF: 'staff',
} as const;
export type Policy = (typeof Policies)[keyof typeof Policies];

export function scopesOf(role: Role): string[] {
  return [...ROLE_SCOPES[role]];
}

export function policiesOf(identity: Pick<Identity, 'role'>): Policy[] {
  return identity.role === 'partner' ? [] : [Policies.STAFF];
}
