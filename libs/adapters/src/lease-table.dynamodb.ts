import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Lease, type LeaseChange, LeaseLostError, type LeaseTable, SHARD_END } from '@plant/stream-consumer';

/**
 * The lease table in DynamoDB, one item per shard (hash key `leaseKey` = "<stream>:<shardId>").
 * Attributes: streamName, shardId, leaseOwner (absent when free), leaseCounter, checkpoint,
 * parentShardIds, heartbeatAt, ownerSwitchesSinceCheckpoint. See docs/stream-consumer.md.
 */
export class DynamoDbLeaseTable implements LeaseTable {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async listLeases(streamName: string): Promise<Lease[]> {
    const leases: Lease[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          FilterExpression: 'streamName = :stream',
          ExpressionAttributeValues: { ':stream': streamName },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) leases.push(leaseFromItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return leases;
  }

  async createLease(lease: Lease): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: itemFromLease(lease),
          ConditionExpression: 'attribute_not_exists(leaseKey)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async takeLease(observed: Lease, workerId: string): Promise<Lease | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { leaseKey: observed.leaseKey },
          UpdateExpression:
            'SET leaseOwner = :me, leaseCounter = leaseCounter + :one, heartbeatAt = :now, ' +
            'ownerSwitchesSinceCheckpoint = ownerSwitchesSinceCheckpoint + :one',
          ConditionExpression: 'leaseCounter = :observed AND checkpoint <> :shardEnd',
          ExpressionAttributeValues: {
            ':me': workerId,
            ':one': 1,
            ':now': this.now(),
            ':observed': observed.counter,
            ':shardEnd': SHARD_END,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return leaseFromItem(out.Attributes!);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  async updateOwned(lease: Lease, change: LeaseChange = {}): Promise<Lease> {
    const sets = ['leaseCounter = leaseCounter + :one', 'heartbeatAt = :now'];
    const values: Record<string, unknown> = { ':one': 1, ':now': this.now(), ':me': lease.owner, ':counter': lease.counter };
    if (change.checkpoint !== undefined) {
      sets.push('checkpoint = :checkpoint', 'ownerSwitchesSinceCheckpoint = :zero');
      values[':checkpoint'] = change.checkpoint;
      values[':zero'] = 0;
    }
    const operation = change.release ? 'release' : change.checkpoint !== undefined ? 'checkpoint' : 'renew';
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { leaseKey: lease.leaseKey },
          UpdateExpression: `SET ${sets.join(', ')}${change.release ? ' REMOVE leaseOwner' : ''}`,
          ConditionExpression: 'leaseOwner = :me AND leaseCounter = :counter',
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return leaseFromItem(out.Attributes!);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new LeaseLostError(lease.leaseKey, operation);
      throw err;
    }
  }
}

function itemFromLease(lease: Lease): Record<string, unknown> {
  return {
    leaseKey: lease.leaseKey,
    streamName: lease.streamName,
    shardId: lease.shardId,
    leaseOwner: lease.owner,
    leaseCounter: lease.counter,
    checkpoint: lease.checkpoint,
    parentShardIds: lease.parentShardIds,
    heartbeatAt: lease.heartbeatAt,
    ownerSwitchesSinceCheckpoint: lease.ownerSwitchesSinceCheckpoint,
  };
}

function leaseFromItem(item: Record<string, unknown>): Lease {
  return {
    leaseKey: String(item.leaseKey),
    streamName: String(item.streamName),
    shardId: String(item.shardId),
    owner: typeof item.leaseOwner === 'string' ? item.leaseOwner : undefined,
    counter: Number(item.leaseCounter ?? 0),
    checkpoint: String(item.checkpoint),
    parentShardIds: Array.isArray(item.parentShardIds) ? item.parentShardIds.map(String) : [],
    heartbeatAt: typeof item.heartbeatAt === 'number' ? item.heartbeatAt : undefined,
    ownerSwitchesSinceCheckpoint: Number(item.ownerSwitchesSinceCheckpoint ?? 0),
  };
}
