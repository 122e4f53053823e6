import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { AssetChange, AssetState, AssetStateStore, AssetStatus, assetStatusOf, StaleAssetStateError } from '@plant/domain';
import { forEachLimited } from '@plant/aws';
import { batchGetInOrder } from './dynamodb-batch';
import { assertItemFits } from './dynamodb-limits';
import { KpiTableAdapter } from './kpi-table-client';
import { assetStateFromItem, keys } from './kpi-table';

/** The stored item of an asset's status and state (`ASSET#<id>` / `STATUS`). */
export function assetStatusItemOf(change: AssetChange, updatedAt: string): Record<string, unknown> {
  return { ...keys.assetStatus(change.assetId), ...change.after.hierarchy, version: change.after.version, updatedAt, assetState: change.after };
}

/** AssetStateStore on the KPI table: one item per asset, written conditionally on the version it was read at. */
export class DynamoDbAssetStateStore extends KpiTableAdapter implements AssetStateStore {
  async loadAssetStates(assetIds: readonly string[]): Promise<Map<string, AssetState | undefined>> {
    const items = await batchGetInOrder(this.doc, this.table, assetIds.map(keys.assetStatus), true);
    return new Map(assetIds.map((id, i) => [id, items[i] ? assetStateFromItem(items[i]!) : undefined]));
  }

  async saveAssetStates(changes: readonly AssetChange[], updatedAt: string): Promise<void> {
    const stale: string[] = [];
    const puts = changes.map((change) => {
      const item = assetStatusItemOf(change, updatedAt);
      // Checked for every state before any is sent: a refused batch writes none of them.
      assertItemFits('asset-state', `the state of asset ${change.assetId}`, item);
      return { change, item };
    });
    await forEachLimited(puts, this.concurrency, async ({ change, item }) => {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: change.before ? '#version = :version' : 'attribute_not_exists(pk)',
            ...(change.before ? { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': change.before.version } } : {}),
          }),
        );
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) stale.push(change.assetId);
        else throw err;
      }
    });
    if (stale.length) throw new StaleAssetStateError(stale);
  }

  async getAssetStatuses(assetIds: readonly string[]): Promise<(AssetStatus | undefined)[]> {
    const items = await batchGetInOrder(this.doc, this.table, assetIds.map(keys.assetStatus));
    return items.map((i) => (i ? assetStatusOf(assetStateFromItem(i), i.updatedAt) : undefined));
  }
}
