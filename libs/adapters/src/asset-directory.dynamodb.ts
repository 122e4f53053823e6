import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Hierarchy } from '@plant/contracts';
import type { AssetDirectory } from '@plant/domain';
import { forEachLimited } from './concurrency';
import { DEFAULT_KPI_TABLE_CONCURRENCY, kpiDocumentClient, KpiTableWriterOptions } from './kpi-table-client';
import { keys } from './kpi-table';

/** AssetDirectory on the KPI table: one item per plant, line and asset (a partition per parent, no GSI). */
export class DynamoDbAssetDirectory implements AssetDirectory {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly concurrency: number;
  /** Directory entries already written by this process (they never change). */
  private readonly knownEntries = new Set<string>();

  constructor(client: DynamoDBClient, options: KpiTableWriterOptions) {
    this.doc = kpiDocumentClient(client);
    this.table = options.tableName;
    this.concurrency = options.concurrency ?? DEFAULT_KPI_TABLE_CONCURRENCY;
  }

  async registerAssets(hierarchies: readonly Hierarchy[]): Promise<void> {
    const entries = hierarchies.flatMap((h) => [
      { key: keys.plantEntry(h.plantId), item: { enterpriseId: h.enterpriseId, plantId: h.plantId } },
      { key: keys.lineEntry(h.plantId, h.lineId), item: { enterpriseId: h.enterpriseId, plantId: h.plantId, lineId: h.lineId } },
      { key: keys.assetEntry(h.lineId, h.assetId), item: { ...h } },
    ]);
    const fresh = [...new Map(entries.map((e) => [`${e.key.pk}\u0000${e.key.sk}`, e])).entries()].filter(([id]) => !this.knownEntries.has(id));
    await forEachLimited(fresh, this.concurrency, async ([id, { key, item }]) => {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...key, ...item } }));
      this.knownEntries.add(id);
    });
  }
}
