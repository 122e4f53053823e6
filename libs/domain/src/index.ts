export * from './kpi/kpi.model';
export * from './kpi/kpi-repository';
export * from './alerts/alert.model';
export * from './change-feed/change-feed';
