import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sendInBatches } from '@plant/aws';
import { AwsLimits } from '@plant/config';
import { PartialFailureError } from '@plant/domain';
import { rethrowAsDomainError } from './sdk-errors';

export type TableKey = { pk: string; sk: string };

/** UnprocessedKeys come back under throttling: 8 attempts, 50–100 ms doubling up to 2 s. */
const UNPROCESSED_RETRY = { attempts: 8, minDelayMs: 50, maxDelayMs: 2_000 };
const CONCURRENT_CALLS = 8;

/**
 * Reads every key, in order (undefined where absent): BatchGetItem in chunks of 100
 * (AwsLimits.dynamoDb.batchGetMaxKeys), retrying UnprocessedKeys (DynamoDB returns them under
 * throttling or when a response passes 16 MB).
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
  const { failed } = await sendInBatches({
    items: unique,
    limits: { maxEntries: AwsLimits.dynamoDb.batchGetMaxKeys },
    concurrency: CONCURRENT_CALLS,
    send: async (batch) => {
      const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [...batch], ConsistentRead: consistentRead } } })).catch(rethrowAsDomainError('dynamodb'));
      for (const item of out.Responses?.[table] ?? []) found.set(id(item as TableKey), item);
      const unprocessed = new Set(((out.UnprocessedKeys?.[table]?.Keys ?? []) as TableKey[]).map(id));
      return batch.map((key) => (unprocessed.has(id(key)) ? { code: 'UnprocessedKeys' } : undefined));
    },
    retry: UNPROCESSED_RETRY,
  });
  if (failed.length) throw new PartialFailureError('dynamodb BatchGetItem', failed.map((f) => f.failure));
  return keys.map((k) => found.get(id(k)));
}
