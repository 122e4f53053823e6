import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  Alert,
  AlertFilter,
  ALERT_SEVERITIES,
  AssetInfo,
  AssetStatus,
  assetStatusOf,
  KpiKey,
  KpiRepository,
  KpiSnapshot,
  LineInfo,
  Page,
  PageRequest,
  PlantInfo,
  severityRank,
  windowInstanceAt,
} from '@plant/domain';
import { batchGetInOrder } from './dynamodb-batch';
import { kpiDocumentClient } from './kpi-table-client';
import { alertFromItem, ALERTS_BY_PLANT_INDEX, assetStateFromItem, kpiItemSlot, keys, kpiSnapshotFromItem } from './kpi-table';

export interface KpiRepositoryOptions {
  tableName: string;
  /** "now" for the current window instance; tests pass a fixed clock. */
  clock?: () => Date;
}

/** Thrown for a cursor this repository did not issue (a client error, not a server fault). */
export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`invalid cursor ${JSON.stringify(cursor)}`);
    this.name = 'InvalidCursorError';
  }
}

/** The read side of the KPI table for the kpi-subgraph. */
export class DynamoDbKpiRepository implements KpiRepository {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly clock: () => Date;

  constructor(client: DynamoDBClient, options: KpiRepositoryOptions) {
    this.doc = kpiDocumentClient(client);
    this.table = options.tableName;
    this.clock = options.clock ?? (() => new Date());
  }

  async listPlants(): Promise<PlantInfo[]> {
    const items = await this.queryAll({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': 'DIR', ':prefix': 'PLANT#' } });
    return items.map((i) => ({ enterpriseId: i.enterpriseId, plantId: i.plantId }));
  }

  async listLines(plantId: string): Promise<LineInfo[]> {
    const items = await this.queryAll({
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
    );
    const items = (out.Items ?? []).map((i) => ({ enterpriseId: i.enterpriseId, plantId: i.plantId, lineId: i.lineId, assetId: i.assetId }));
    return { items, ...(out.LastEvaluatedKey ? { endCursor: encodeCursor(out.LastEvaluatedKey) } : {}) };
  }

  async getAssets(assetIds: readonly string[]): Promise<(AssetInfo | undefined)[]> {
    const items = await batchGetInOrder(this.doc, this.table, assetIds.map(keys.assetStatus));
    return items.map((i) => (i ? { ...assetStateFromItem(i).hierarchy } : undefined));
  }

  async getAssetStatuses(assetIds: readonly string[]): Promise<(AssetStatus | undefined)[]> {
    const items = await batchGetInOrder(this.doc, this.table, assetIds.map(keys.assetStatus));
    return items.map((i) => (i ? assetStatusOf(assetStateFromItem(i), i.updatedAt) : undefined));
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

  /**
   * Alerts newest first. With `plantId` one GSI query; without, plant after plant (alerts are
   * partitioned by plant so that no index partition takes every alert of the enterprise).
   * Filters on line, asset, status and severity run server-side; pages are filled up to `first`.
   */
  async listAlerts(filter: AlertFilter, page: PageRequest): Promise<Page<Alert>> {
    const named = filter.plantId ? [filter.plantId] : (await this.listPlants()).map((p) => p.plantId).sort();
    // The caller's plants: a plant outside them is never queried (its alerts are not read at all).
    const plants = filter.plantIds ? named.filter((p) => filter.plantIds!.includes(p)) : named;
    const cursor = page.after ? (decodeCursor(page.after) as { plant: string; key?: Record<string, unknown> }) : undefined;
    let plantIndex = cursor ? plants.indexOf(cursor.plant) : 0;
    if (plantIndex < 0) throw new InvalidCursorError(page.after!);
    let startKey = cursor?.key;
    const items: Alert[] = [];
    const { expression, names, values } = alertFilterExpression(filter);
    while (plantIndex < plants.length) {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: ALERTS_BY_PLANT_INDEX,
          KeyConditionExpression: 'gsi1pk = :gsi1pk',
          ExpressionAttributeValues: { ':gsi1pk': keys.alertsOfPlant(plants[plantIndex]), ...values },
          ...(expression ? { FilterExpression: expression, ExpressionAttributeNames: names } : {}),
          ScanIndexForward: false,
          Limit: page.first - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        items.push(alertFromItem(item));
        if (items.length === page.first) {
          const key = { pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk };
          return { items, endCursor: encodeCursor({ plant: plants[plantIndex], key }) };
        }
      }
      if (out.LastEvaluatedKey) startKey = out.LastEvaluatedKey;
      else {
        plantIndex++;
        startKey = undefined;
      }
    }
    return { items };
  }

  async getAlert(alertId: string): Promise<Alert | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.alert(alertId) }));
    return out.Item ? alertFromItem(out.Item) : undefined;
  }

  async acknowledgeAlert(alertId: string, by: string, at: string): Promise<Alert | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.alert(alertId),
          UpdateExpression: 'SET #status = :acknowledged, acknowledgedAt = :at, acknowledgedBy = :by, updatedAt = :at',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':acknowledged': 'acknowledged', ':open': 'open', ':at': at, ':by': by },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return alertFromItem(out.Attributes!);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return this.getAlert(alertId);
      throw err;
    }
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, any>[]> {
    const items: Record<string, any>[] = [];
    let startKey: Record<string, any> | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ ...input, TableName: this.table, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

function alertFilterExpression(filter: AlertFilter) {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const equal = (field: 'lineId' | 'assetId' | 'status', value: string | undefined) => {
    if (value === undefined) return;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    parts.push(`#${field} = :${field}`);
  };
  equal('lineId', filter.lineId);
  equal('assetId', filter.assetId);
  equal('status', filter.status);
  if (filter.minSeverity) {
    const allowed = ALERT_SEVERITIES.filter((s) => severityRank(s) >= severityRank(filter.minSeverity!));
    names['#severity'] = 'severity';
    allowed.forEach((s, i) => (values[`:sev${i}`] = s));
    parts.push(`#severity IN (${allowed.map((_, i) => `:sev${i}`).join(', ')})`);
  }
  return { expression: parts.join(' AND '), names, values };
}

function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(cursor: string): Record<string, any> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object') return value;
  } catch {
    // fall through to the named error
  }
  throw new InvalidCursorError(cursor);
}
