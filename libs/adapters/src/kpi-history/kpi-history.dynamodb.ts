import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { instancesInRange, KpiHistory, KpiRangeRequest, KpiSnapshot, windowInstanceAt } from '@plant/domain';
import { kpiDocumentClient } from '../kpi-table-client';
import { keys, kpiItemSlot, kpiSnapshotsFromItem } from '../kpi-table';

/**
 * KPI history from the live table: one `Query` per request over the KPI items of its scope between
 * the items holding the first and last instance (sort key `W#15m#…` or `W#day#…`, ISO times sort in
 * time order), every instance of the window read out of those items. DynamoDB cannot batch queries
 * across partitions, so a DataLoader batch runs its requests' queries in parallel.
 */
export class DynamoDbKpiHistory implements KpiHistory {
  private readonly doc: DynamoDBDocumentClient;
  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = kpiDocumentClient(client);
  }

  kpisInRange(requests: readonly KpiRangeRequest[]): Promise<KpiSnapshot[][]> {
    return Promise.all(requests.map((r) => this.query(r)));
  }

  private async query(request: KpiRangeRequest): Promise<KpiSnapshot[]> {
    const first = kpiItemSlot(request.window, windowInstanceAt(request.window, request.fromMs).startMs);
    const last = kpiItemSlot(request.window, windowInstanceAt(request.window, request.toMs - 1).startMs);
    const from = keys.kpi(request.scope, request.scopeId, first.itemWindow, first.itemStartMs);
    const to = keys.kpi(request.scope, request.scopeId, last.itemWindow, last.itemStartMs);
    const snapshots: KpiSnapshot[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': from.pk, ':from': from.sk, ':to': to.sk },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) snapshots.push(...kpiSnapshotsFromItem(item).values());
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return instancesInRange(request, snapshots);
  }
}
