import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Alert, AlertStore } from '@plant/domain';
import { forEachLimited } from './concurrency';
import { DEFAULT_KPI_TABLE_CONCURRENCY, kpiDocumentClient, KpiTableWriterOptions } from './kpi-table-client';
import { keys } from './kpi-table';

/** AlertStore on the KPI table: one item per alert, indexed per plant (`gsi1`, newest first) for listAlerts. */
export class DynamoDbAlertStore implements AlertStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly concurrency: number;

  constructor(client: DynamoDBClient, options: KpiTableWriterOptions) {
    this.doc = kpiDocumentClient(client);
    this.table = options.tableName;
    this.concurrency = options.concurrency ?? DEFAULT_KPI_TABLE_CONCURRENCY;
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
}
