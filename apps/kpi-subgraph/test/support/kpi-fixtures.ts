import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Hierarchy } from '@plant/contracts';
import { kpiTableStores } from '@plant/adapters';
import { createClient } from '@plant/aws';
import type { AwsConnection } from '@plant/config';
import {
  Alert,
  AssetState,
  emptyCounters,
  initialAssetState,
  KpiCounters,
  KpiDelta,
  KpiScope,
  KpiWindow,
  windowInstanceAt,
} from '@plant/domain';

/** "Now" of the repository under test: KPI items are written into this instant's window instances. */
export const NOW = new Date('2026-03-02T08:07:30.000Z');

const enterpriseId = 'acme';
export const PLANT = 'plant-it-1';
export const OTHER_PLANT = 'plant-it-2';
export const LINE = 'line-it-1a';
/** Seven assets on LINE (enough for several pages), one more on each other line. */
export const LINE_ASSETS = Array.from({ length: 7 }, (_, i) => `asset-it-${String(i + 1).padStart(2, '0')}`);

export const hierarchies: Hierarchy[] = [
  ...LINE_ASSETS.map((assetId) => ({ enterpriseId, plantId: PLANT, lineId: LINE, assetId })),
  { enterpriseId, plantId: PLANT, lineId: 'line-it-1b', assetId: 'asset-it-1b-1' },
  { enterpriseId, plantId: OTHER_PLANT, lineId: 'line-it-2a', assetId: 'asset-it-2a-1' },
];

/** 10 min run, 5 min down (jam), 900 good, 100 scrap at an ideal 0.5 s per part. */
export const COUNTERS: KpiCounters = {
  ...emptyCounters(),
  runMs: 600_000,
  downMs: 300_000,
  goodCount: 900,
  scrapCount: 100,
  idealMs: 500_000,
  downByReasonMs: { jam: 300_000 },
};

function delta(scope: KpiScope, scopeId: string, h: Hierarchy, window: KpiWindow): KpiDelta {
  const instance = windowInstanceAt(window, NOW.getTime());
  const hierarchy =
    scope === 'asset' ? h : scope === 'line' ? { enterpriseId, plantId: h.plantId, lineId: h.lineId } : { enterpriseId, plantId: h.plantId };
  return {
    itemId: `${scope}#${scopeId}#${window}`,
    scope,
    scopeId,
    hierarchy,
    window,
    windowStartMs: instance.startMs,
    windowEndMs: instance.endMs,
    counters: structuredClone(COUNTERS),
    firstSequence: '00000000000000000001',
    lastSequence: '00000000000000000009',
    lastEventMs: NOW.getTime() - 1_000,
  };
}

function stateOf(h: Hierarchy): AssetState {
  return {
    ...initialAssetState(h, '2026-03-02T08:00:00.000Z'),
    machineState: 'down',
    stateSince: '2026-03-02T08:05:00.000Z',
    stateReasonCode: 'jam',
    sensors: {
      temperature: { measure: 'temperature', value: 71.5, unit: 'C', quality: 'good', at: '2026-03-02T08:07:00.000Z' },
      vibration: { measure: 'vibration', value: 3.2, unit: 'mm/s', quality: 'uncertain', at: '2026-03-02T08:07:10.000Z' },
    },
    lastEventTime: '2026-03-02T08:07:10.000Z',
    version: 1,
  };
}

export function alertOf(n: number, over: Partial<Alert> = {}): Alert {
  const raisedAt = new Date(Date.parse('2026-03-02T07:00:00.000Z') + n * 60_000).toISOString();
  return {
    alertId: `alert-it-${n}`,
    ruleId: 'temperature-high',
    enterpriseId,
    plantId: PLANT,
    lineId: LINE,
    assetId: LINE_ASSETS[n % LINE_ASSETS.length],
    severity: (['info', 'minor', 'major', 'critical'] as const)[n % 4],
    status: 'open',
    message: `temperature above limit (${n})`,
    value: 80 + n,
    raisedAt,
    updatedAt: raisedAt,
    ...over,
  };
}
/** Six open alerts of PLANT (severities cycling info..critical) and one of OTHER_PLANT. */
export const ALERTS: Alert[] = [
  ...Array.from({ length: 6 }, (_, i) => alertOf(i + 1)),
  alertOf(7, { plantId: OTHER_PLANT, lineId: 'line-it-2a', assetId: 'asset-it-2a-1', severity: 'critical' }),
];

/** Writes the fixture through the stream-writer's own write adapter (the real item layout). */
export async function writeFixtures(connection: AwsConnection, tableName: string): Promise<void> {
  const client = createClient(DynamoDBClient, connection);
  const store = kpiTableStores(client, { tableName, clock: () => NOW });
  try {
    await store.assetDirectory.registerAssets(hierarchies);
    await store.assetStates.saveAssetStates(
      LINE_ASSETS.slice(0, 3).map((assetId) => ({ assetId, after: stateOf(hierarchies.find((h) => h.assetId === assetId)!) })),
      NOW.toISOString(),
    );
    const first = hierarchies[0];
    await store.kpiWindows.applyKpiDeltas('shardId-000000000000', [
      delta('asset', first.assetId, first, '15m'),
      delta('asset', first.assetId, first, '1m'),
      delta('asset', LINE_ASSETS[1], hierarchies[1], '15m'),
      delta('line', LINE, first, '15m'),
      delta('plant', PLANT, first, '15m'),
    ]);
    await store.alertStore.saveAlertChanges(ALERTS);
  } finally {
    client.destroy();
  }
}
