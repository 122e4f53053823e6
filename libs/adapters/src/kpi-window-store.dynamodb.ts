import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { KpiTableSchema } from '@plant/config';
import { COUNTER_FIELDS, KpiApplyResult, KpiDelta, KpiKey, KpiSnapshot, KpiWindowStore, windowInstanceAt, windowLengthMs } from '@plant/domain';
import { forEachLimited } from '@plant/aws';
import { batchGetInOrder } from './dynamodb-batch';
import { assertExpressionFits } from './dynamodb-limits';
import { KpiTableAdapter } from './kpi-table-client';
import { KpiItemSlot, kpiItemSlot, keys, kpiSnapshotFromItem, kpiSnapshotsFromItem, LAST_EVENT_PREFIX, REASON_PREFIX, SHARD_PREFIX, ttlOf } from './kpi-table';

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
 * KpiWindowStore on DynamoDB. One conditional UpdateItem per stored item per batch (the batch's events
 * are already aggregated, and the minutes of a 15-min instance / shifts of a day share one item),
 * adding the counters and moving the shard's mark in the same atomic write.
 */
export class DynamoDbKpiWindowStore extends KpiTableAdapter implements KpiWindowStore {
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

  /** The window instance containing "now" of each key; undefined when no event fell into it yet. */
  async getCurrentKpis(kpiKeys: readonly KpiKey[]): Promise<(KpiSnapshot | undefined)[]> {
    const now = this.clock().getTime();
    return this.getKpis(kpiKeys.map((k) => ({ ...k, windowStartMs: windowInstanceAt(k.window, now).startMs })));
  }

  /** Specific window instances (e.g. the previous shift). */
  async getKpis(kpiKeys: readonly (KpiKey & { windowStartMs: number })[]): Promise<(KpiSnapshot | undefined)[]> {
    // Several keys can live in one item (the minutes of a 15-min instance, the shifts of a day); batchGetInOrder reads each item once.
    const items = await batchGetInOrder(
      this.doc,
      this.table,
      kpiKeys.map((k) => {
        const slot = kpiItemSlot(k.window, k.windowStartMs);
        return keys.kpi(k.scope, k.scopeId, slot.itemWindow, slot.itemStartMs);
      }),
    );
    return kpiKeys.map((k, i) => (items[i] ? kpiSnapshotFromItem(items[i]!, k.window, k.windowStartMs) : undefined));
  }
}
