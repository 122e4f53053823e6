import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAlertStore } from './alert-store.dynamodb';
import { DynamoDbAssetDirectory } from './asset-directory.dynamodb';
import { DynamoDbAssetStateStore } from './asset-state-store.dynamodb';
import type { KpiTableWriterOptions } from './kpi-table-client';
import { DynamoDbKpiWindowStore } from './kpi-window-store.dynamodb';

/** The four write ports that share the KPI table, one adapter each. */
export interface KpiTableWriters {
  kpiWindows: DynamoDbKpiWindowStore;
  assetDirectory: DynamoDbAssetDirectory;
  alertStore: DynamoDbAlertStore;
  assetStates: DynamoDbAssetStateStore;
}

/** Builds every writer of the KPI table on one client (the stream-writer's wiring and the tests' fixtures). */
export function kpiTableWriters(client: DynamoDBClient, options: KpiTableWriterOptions): KpiTableWriters {
  return {
    kpiWindows: new DynamoDbKpiWindowStore(client, options),
    assetDirectory: new DynamoDbAssetDirectory(client, options),
    alertStore: new DynamoDbAlertStore(client, options),
    assetStates: new DynamoDbAssetStateStore(client, options),
  };
}
