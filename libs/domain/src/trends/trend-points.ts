import type { PlantEvent } from '@plant/contracts';
import type { TrendPoint, TrendValue } from './trend-store';

/**
 * The trend point of an event, or undefined for kinds that are not trends (downtime, quality and
 * alarms live in the KPI table and the alert bus). One point per event — never merged across events,
 * so a replay with other batch boundaries writes exactly the same records.
 */
export function trendPointOf(event: PlantEvent): TrendPoint | undefined {
  const values = trendValuesOf(event);
  if (!values) return undefined;
  return {
    timeMs: Date.parse(event.eventTime),
    dimensions: { enterprise: event.enterpriseId, plant: event.plantId, line: event.lineId, asset: event.assetId, source: event.source },
    measureName: values.measureName,
    values: values.values,
    version: Date.parse(event.ingestTime),
    eventId: event.eventId,
  };
}

function trendValuesOf(event: PlantEvent): { measureName: string; values: TrendValue[] } | undefined {
  switch (event.kind) {
    case 'measurement':
      return {
        measureName: event.measure,
        values: [
          { name: 'value', type: 'DOUBLE', value: event.value },
          { name: 'quality', type: 'VARCHAR', value: event.quality },
          ...(event.unit ? [{ name: 'unit', type: 'VARCHAR' as const, value: event.unit }] : []),
        ],
      };
    case 'production':
      return {
        measureName: 'production',
        values: [
          { name: 'good_count', type: 'BIGINT', value: event.goodCount },
          { name: 'scrap_count', type: 'BIGINT', value: event.scrapCount },
          { name: 'ideal_cycle_seconds', type: 'DOUBLE', value: event.idealCycleSeconds },
        ],
      };
    case 'machine-state':
      return { measureName: 'machine_state', values: [{ name: 'state', type: 'VARCHAR', value: event.state }] };
    case 'downtime':
    case 'quality':
    case 'alarm':
      return undefined;
  }
}
