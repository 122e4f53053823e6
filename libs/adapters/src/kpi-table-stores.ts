import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAlertStore } from './alert-store.dynamodb';
import { DynamoDbAssetDirectory } from './asset-directory.dynamodb';
import { DynamoDbAssetStateStore } from './asset-state-store.dynamodb';
import type { KpiTableOptions } from './kpi-table-client';
import { DynamoDbKpiWindowStore } from './kpi-window-store.dynamodb';

/** The four ports that share the KPI table, one adapter each. */
export interface KpiTableStores {
  kpiWindows: DynamoDbKpiWindowStore;
  assetDirectory: DynamoDbAssetDirectory;
  alertStore: DynamoDbAlertStore;
  assetStates: DynamoDbAssetStateStore;
}

/** Builds every adapter of the KPI table on one client (stream-writer and kpi-subgraph wiring, test fixtures). */
export function kpiTableStores(client: DynamoDBClient, options: KpiTableOptions): KpiTableStores {
  return {
    kpiWindows: new DynamoDbKpiWindowStore(client, options),
    assetDirectory: new DynamoDbAssetDirectory(client, options),
    alertStore: new DynamoDbAlertStore(client, options),
    assetStates: new DynamoDbAssetStateStore(client, options),
  };
}
