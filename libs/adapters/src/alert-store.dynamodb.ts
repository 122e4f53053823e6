import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Alert, AlertFilter, ALERT_SEVERITIES, AlertStore, ConflictError, Page, PageRequest, severityRank } from '@plant/domain';
import { forEachLimited } from '@plant/aws';
import { KpiTableAdapter } from './kpi-table-client';
import { alertFromItem, ALERTS_BY_PLANT_INDEX, keys } from './kpi-table';
import { decodeCursor, dynamoDbReadFailed, encodeCursor, InvalidCursorError, listPlantsOf } from './kpi-table-query';

/** AlertStore on the KPI table: one item per alert, indexed per plant (`gsi1`, newest first) for listAlerts. */
export class DynamoDbAlertStore extends KpiTableAdapter implements AlertStore {
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

  /**
   * Alerts newest first. With `plantId` one GSI query; without, plant after plant (alerts are
   * partitioned by plant so that no index partition takes every alert of the enterprise).
   * Filters on line, asset, status and severity run server-side; pages are filled up to `first`.
   */
  async listAlerts(filter: AlertFilter, page: PageRequest): Promise<Page<Alert>> {
    const named = filter.plantId ? [filter.plantId] : (await listPlantsOf(this.doc, this.table)).map((p) => p.plantId).sort();
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
      ).catch(dynamoDbReadFailed);
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
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.alert(alertId) })).catch(dynamoDbReadFailed);
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
      ).catch(dynamoDbReadFailed);
      return alertFromItem(out.Attributes!);
    } catch (err) {
      if (err instanceof ConflictError) return this.getAlert(alertId);
      throw err;
    }
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
