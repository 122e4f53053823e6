import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { KpiTableSchema } from '@plant/config';
import type { Hierarchy } from '@plant/contracts';
import {
  Alert,
  AssetChange,
  AssetState,
  COUNTER_FIELDS,
  KpiApplyResult,
  KpiDelta,
  KpiSnapshot,
  KpiStore,
  StaleAssetStateError,
  windowLengthMs,
} from '@plant/domain';
import { forEachLimited } from '@plant/aws';
import { assertExpressionFits, assertItemFits } from './dynamodb-limits';
import { batchGetInOrder } from './dynamodb-batch';
import { assetStateFromItem, KpiItemSlot, kpiItemSlot, keys, kpiSnapshotsFromItem, LAST_EVENT_PREFIX, REASON_PREFIX, SHARD_PREFIX, ttlOf } from './kpi-table';

export interface KpiStoreOptions {
  tableName: string;
  /** UpdateItem calls in flight per batch (measured on dynalite: 64 → ≈ 440/s, 32 → ≈ 330/s, 8 → ≈ 140/s). */
  concurrency?: number;
  clock?: () => Date;
}

/** Builds the DocumentClient every KPI table adapter uses (undefined attributes are left out). */
export function kpiDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** The stored item of an asset's status and state (`ASSET#<id>` / `STATUS`). */
export function assetStatusItemOf(change: AssetChange, updatedAt: string): Record<string, unknown> {
  return { ...keys.assetStatus(change.assetId), ...change.after.hierarchy, version: change.after.version, updatedAt, assetState: change.after };
}

interface ItemGroup {
  slot: KpiItemSlot;
  /** Every delta of the batch that lives in the item: its sub-windows' (minutes, shifts) and its own window's (15m, day). */
  deltas: KpiDelta[];
}

/** Groups a batch's deltas by the stored item they live in (kpi-table.ts `kpiItemSlot`). */
function groupByItem(deltas: readonly KpiDelta[]): ItemGroup[] {
  const groups = new Map<string, ItemGroup>();
  for (const delta of deltas) {
    const slot = kpiItemSlot(delta.window, delta.windowStartMs);
    const id = JSON.stringify([delta.scope, delta.scopeId, slot.itemWindow, slot.itemStartMs]);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { slot, deltas: [] }));
    group.deltas.push(delta);
  }
  return [...groups.values()];
}

/**
 * KpiStore on DynamoDB. One conditional UpdateItem per stored item per batch (the batch's events
 * are already aggregated, and the minutes of a 15-min instance / shifts of a day share one item),
 * adding the counters and moving the shard's mark in the same atomic write.
 */
export class DynamoDbKpiStore implements KpiStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly concurrency: number;
  private readonly clock: () => Date;
  /** Directory entries already written by this process (they never change). */
  private readonly knownEntries = new Set<string>();

  constructor(client: DynamoDBClient, options: KpiStoreOptions) {
    this.doc = kpiDocumentClient(client);
    this.table = options.tableName;
    this.concurrency = options.concurrency ?? 64;
    this.clock = options.clock ?? (() => new Date());
  }

  async loadAssetStates(assetIds: readonly string[]): Promise<Map<string, AssetState | undefined>> {
    const items = await batchGetInOrder(this.doc, this.table, assetIds.map(keys.assetStatus), true);
    return new Map(assetIds.map((id, i) => [id, items[i] ? assetStateFromItem(items[i]!) : undefined]));
  }

  async applyKpiDeltas(shardId: string, deltas: readonly KpiDelta[]): Promise<KpiApplyResult> {
    const result: KpiApplyResult = { updated: [], alreadyApplied: 0, partlyApplied: [] };
    const updatedAt = this.clock().toISOString();
    await forEachLimited(groupByItem(deltas), this.concurrency, async (group) => {
      const outcome = await this.applyGroup(shardId, group, updatedAt);
      if (outcome === 'applied') result.alreadyApplied += group.deltas.length;
      else if ('storedMark' in outcome) {
        // The write is all or nothing per item: every delta of it goes round again without what the mark covers.
        for (const delta of group.deltas) {
          if (delta.lastSequence <= outcome.storedMark) result.alreadyApplied++;
          else result.partlyApplied.push({ itemId: delta.itemId, storedMark: outcome.storedMark });
        }
      } else result.updated.push(...outcome);
    });
    return result;
  }

  /**
   * One conditional UpdateItem for all deltas of a batch that live in the same item (the minutes of
   * a 15-min instance, the shifts of a day): the shard's mark guards them together, which keeps the
   * per-item guarantee — after the write, every contribution of the shard up to the mark is in.
   */
  private async applyGroup(shardId: string, group: ItemGroup, updatedAt: string): Promise<KpiSnapshot[] | { storedMark: string } | 'applied'> {
    const { slot, deltas } = group;
    const first = deltas.reduce((min, d) => (d.firstSequence < min ? d.firstSequence : min), deltas[0].firstSequence);
    const last = deltas.reduce((max, d) => (d.lastSequence > max ? d.lastSequence : max), deltas[0].lastSequence);
    const names: Record<string, string> = {
      '#shard': `${SHARD_PREFIX}${shardId}`,
      '#ttl': KpiTableSchema.ttlAttribute,
      '#scope': 'scope',
      '#scopeId': 'scopeId',
      '#hierarchy': 'hierarchy',
      '#window': 'window',
      '#windowStartMs': 'windowStartMs',
      '#updatedAt': 'updatedAt',
      '#mark': 'mark',
    };
    const values: Record<string, unknown> = {
      ':first': first,
      ':mark': { mark: last, lastEventMs: Math.max(...deltas.map((d) => d.lastEventMs)) },
      ':scope': deltas[0].scope,
      ':scopeId': deltas[0].scopeId,
      ':hierarchy': deltas[0].hierarchy,
      ':window': slot.itemWindow,
      ':windowStartMs': slot.itemStartMs,
      ':updatedAt': updatedAt,
      ':ttl': ttlOf(slot.itemWindow, slot.itemStartMs + windowLengthMs(slot.itemWindow)),
    };
    const sets: string[] = [];
    const adds: string[] = [];
    let n = 0;
    const attribute = (name: string, value: unknown) => {
      names[`#a${n}`] = name;
      values[`:a${n}`] = value;
      return `#a${n++} :a${n - 1}`;
    };
    for (const delta of deltas) {
      const sub = kpiItemSlot(delta.window, delta.windowStartMs).prefix;
      // The `le:` attribute also marks the window instance as present; counters still 0 are not sent (smaller requests and items).
      sets.push(attribute(`${sub}${LAST_EVENT_PREFIX}${shardId}`, delta.lastEventMs).replace(' ', ' = '));
      for (const field of COUNTER_FIELDS) if (delta.counters[field] !== 0) adds.push(attribute(`${sub}${field}`, delta.counters[field]));
      for (const [reason, ms] of Object.entries(delta.counters.downByReasonMs)) if (ms !== 0) adds.push(attribute(`${sub}${REASON_PREFIX}${reason}`, ms));
    }
    const key = keys.kpi(deltas[0].scope, deltas[0].scopeId, slot.itemWindow, slot.itemStartMs);
    const updateExpression =
      'SET #scope = :scope, #scopeId = :scopeId, #hierarchy = :hierarchy, #window = :window, #windowStartMs = :windowStartMs, ' +
      `#updatedAt = :updatedAt, #ttl = :ttl, #shard = :mark, ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`;
    // Many downtime reasons in one quarter hour of one batch can pass 4 KB; a smaller batch fits.
    assertExpressionFits('kpi-store', `the update of KPI item ${key.pk} ${key.sk}`, updateExpression);
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: updateExpression,
          ConditionExpression: 'attribute_not_exists(#shard) OR #shard.#mark < :first',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      const stored = out.Attributes!;
      const snapshots = kpiSnapshotsFromItem(stored);
      return deltas.map((d) => snapshots.get(kpiItemSlot(d.window, d.windowStartMs).prefix)).filter((s): s is KpiSnapshot => s !== undefined);
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      // The shard's mark is at or past the group's first event: a replay. Whole → skip; partly → recompute.
      const stored = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
      const storedMark = stored.Item?.[`${SHARD_PREFIX}${shardId}`]?.mark as string | undefined;
      if (storedMark === undefined || storedMark < first) throw err;
      return storedMark >= last ? 'applied' : { storedMark };
    }
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

  async saveAlertChanges(changes: readonly Alert[]): Promise<void> {
    const finalById = new Map<string, Alert>();
    for (const change of changes) finalById.set(change.alertId, change);
    await forEachLimited([...finalById.values()], this.concurrency, (alert) => this.saveAlert(alert));
  }

  /**
   * Writes an alert's final state of the batch. Raising never reopens (put only if absent), a
   * SCADA acknowledgement only acknowledges an open alert (a person's acknowledgement stays), and
   * clearing is final. Each is idempotent, so a replayed batch leaves the same item.
   */
  private async saveAlert(alert: Alert): Promise<void> {
    const key = keys.alert(alert.alertId);
    const index = { gsi1pk: keys.alertsOfPlant(alert.plantId), gsi1sk: `${alert.raisedAt}#${alert.alertId}` };
    try {
      switch (alert.status) {
        case 'open':
          await this.doc.send(
            new PutCommand({ TableName: this.table, Item: { ...key, ...index, ...alert }, ConditionExpression: 'attribute_not_exists(pk)' }),
          );
          break;
        case 'acknowledged':
        case 'cleared': {
          const fields = { ...index, ...alert } as Record<string, unknown>;
          delete fields.alertId;
          const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
          await this.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: key,
              UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')}, #alertId = :alertId`,
              ExpressionAttributeNames: { ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])), '#alertId': 'alertId', ...(alert.status === 'acknowledged' ? { '#status': 'status' } : {}) },
              ExpressionAttributeValues: {
                ...Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
                ':alertId': alert.alertId,
                ...(alert.status === 'acknowledged' ? { ':open': 'open' } : {}),
              },
              ...(alert.status === 'acknowledged' ? { ConditionExpression: 'attribute_not_exists(pk) OR #status = :open' } : {}),
            }),
          );
          break;
        }
      }
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
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
}
