import { registerEnumType } from '@nestjs/graphql';
import type { MachineState } from '@plant/contracts';
import type { AlertSeverity, AlertStatus, KpiScope, KpiWindow, SensorValue } from '@plant/domain';

/*
 * GraphQL enums use their names as internal values, and the mapping to the domain's string literals
 * is explicit below. NestJS's federation build re-parses the SDL, so an argument default such as
 * `window: KpiWindow = FIFTEEN_MINUTES` arrives as the enum NAME: internal values that differ from
 * names ('15m') would break defaults (measured: "Enum KpiWindow cannot represent value").
 */

export enum KpiWindowEnum {
  ONE_MINUTE = 'ONE_MINUTE',
  FIFTEEN_MINUTES = 'FIFTEEN_MINUTES',
  SHIFT = 'SHIFT',
  DAY = 'DAY',
}
registerEnumType(KpiWindowEnum, { name: 'KpiWindow', description: 'Window a KPI is computed over (its current instance).' });

const WINDOWS: Record<KpiWindowEnum, KpiWindow> = {
  ONE_MINUTE: '1m',
  FIFTEEN_MINUTES: '15m',
  SHIFT: 'shift',
  DAY: 'day',
};
export const kpiWindowOf = (value: KpiWindowEnum): KpiWindow => WINDOWS[value];
export const kpiWindowEnumOf = (window: KpiWindow): KpiWindowEnum =>
  (Object.keys(WINDOWS) as KpiWindowEnum[]).find((k) => WINDOWS[k] === window) as KpiWindowEnum;

export enum KpiScopeEnum {
  ASSET = 'ASSET',
  LINE = 'LINE',
  PLANT = 'PLANT',
}
registerEnumType(KpiScopeEnum, { name: 'KpiScope' });

export enum MachineStateEnum {
  RUNNING = 'RUNNING',
  IDLE = 'IDLE',
  DOWN = 'DOWN',
}
registerEnumType(MachineStateEnum, { name: 'MachineState' });

export enum MeasurementQualityEnum {
  GOOD = 'GOOD',
  UNCERTAIN = 'UNCERTAIN',
  BAD = 'BAD',
}
registerEnumType(MeasurementQualityEnum, { name: 'MeasurementQuality' });

export enum AlertSeverityEnum {
  INFO = 'INFO',
  MINOR = 'MINOR',
  MAJOR = 'MAJOR',
  CRITICAL = 'CRITICAL',
}
registerEnumType(AlertSeverityEnum, { name: 'AlertSeverity', description: 'Ordered: INFO < MINOR < MAJOR < CRITICAL.' });

export enum AlertStatusEnum {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  CLEARED = 'CLEARED',
}
registerEnumType(AlertStatusEnum, { name: 'AlertStatus' });

/** The remaining domain literals are the lower-case enum names. */
type Upper<T extends string> = Uppercase<T>;
const upper = <T extends string>(value: T) => value.toUpperCase() as Upper<T>;
const lower = <T extends string>(value: string) => value.toLowerCase() as T;

export const kpiScopeEnumOf = (scope: KpiScope) => upper(scope) as KpiScopeEnum;
export const machineStateEnumOf = (state: MachineState) => upper(state) as MachineStateEnum;
export const qualityEnumOf = (quality: SensorValue['quality']) => upper(quality) as MeasurementQualityEnum;
export const severityEnumOf = (severity: AlertSeverity) => upper(severity) as AlertSeverityEnum;
export const statusEnumOf = (status: AlertStatus) => upper(status) as AlertStatusEnum;
export const severityOf = (value: AlertSeverityEnum) => lower<AlertSeverity>(value);
export const statusOf = (value: AlertStatusEnum) => lower<AlertStatus>(value);
