import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Hierarchy } from '@plant/contracts';
import type { AssetDirectory, AssetInfo, LineInfo, Page, PageRequest, PlantInfo } from '@plant/domain';
import { forEachLimited } from '@plant/aws';
import { KpiTableAdapter } from './kpi-table-client';
import { batchGetInOrder } from './dynamodb-batch';
import { assetStateFromItem, keys } from './kpi-table';
import { decodeCursor, encodeCursor, listPlantsOf, queryAll, dynamoDbReadFailed } from './kpi-table-query';

/** AssetDirectory on the KPI table: one item per plant, line and asset (a partition per parent, no GSI). */
export class DynamoDbAssetDirectory extends KpiTableAdapter implements AssetDirectory {
  /** Directory entries already written by this process (they never change). */
  private readonly knownEntries = new Set<string>();

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

  listPlants(): Promise<PlantInfo[]> {
    return listPlantsOf(this.doc, this.table);
  }

  async listLines(plantId: string): Promise<LineInfo[]> {
    const items = await queryAll(this.doc, this.table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.lineEntry(plantId, '').pk, ':prefix': 'LINE#' },
    });
    return items.map((i) => ({ enterpriseId: i.enterpriseId, plantId: i.plantId, lineId: i.lineId }));
  }

  async listAssets(lineId: string, page: PageRequest): Promise<Page<AssetInfo>> {
    const pk = keys.assetEntry(lineId, '').pk;
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'ASSET#' },
        Limit: page.first,
        ...(page.after ? { ExclusiveStartKey: decodeCursor(page.after) } : {}),
      }),
    ).catch(dynamoDbReadFailed);
    const items = (out.Items ?? []).map((i) => ({ enterpriseId: i.enterpriseId, plantId: i.plantId, lineId: i.lineId, assetId: i.assetId }));
    return { items, ...(out.LastEvaluatedKey ? { endCursor: encodeCursor(out.LastEvaluatedKey) } : {}) };
  }

  async getAssets(assetIds: readonly string[]): Promise<(AssetInfo | undefined)[]> {
    const items = await batchGetInOrder(this.doc, this.table, assetIds.map(keys.assetStatus));
    return items.map((i) => (i ? { ...assetStateFromItem(i).hierarchy } : undefined));
  }
}
