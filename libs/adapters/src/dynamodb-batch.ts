import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backoffMs, chunk, forEachLimited, PartialFailureError, sleep } from './concurrency';

export type TableKey = { pk: string; sk: string };

/** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html — at most 100 keys per call. */
const BATCH_GET_MAX_KEYS = 100;
const MAX_ATTEMPTS = 8;

/**
 * Reads every key, in order (undefined where absent): BatchGetItem in chunks of 100, retrying
 * UnprocessedKeys (DynamoDB returns them under throttling or when a response passes 16 MB).
 */
export async function batchGetInOrder(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly TableKey[],
  consistentRead = false,
): Promise<(Record<string, any> | undefined)[]> {
  const found = new Map<string, Record<string, any>>();
  const id = (k: { pk: string; sk: string }) => `${k.pk}\u0000${k.sk}`;
  const unique = [...new Map(keys.map((k) => [id(k), { pk: k.pk, sk: k.sk }])).values()];
  await forEachLimited(chunk(unique, BATCH_GET_MAX_KEYS), 8, async (batch) => {
    let pending: Record<string, any>[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new PartialFailureError('dynamodb BatchGetItem', pending.length, 'UnprocessedKeys');
      if (attempt > 0) await sleep(backoffMs(attempt));
      const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: consistentRead } } }));
      for (const item of out.Responses?.[table] ?? []) found.set(id(item as TableKey), item);
      pending = (out.UnprocessedKeys?.[table]?.Keys as Record<string, any>[] | undefined) ?? [];
    }
  });
  return keys.map((k) => found.get(id(k)));
}
