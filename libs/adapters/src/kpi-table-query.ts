import { DynamoDBDocumentClient, QueryCommand, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { InvalidArgumentError, type PlantInfo } from '@plant/domain';
import { rethrowAsDomainError } from './sdk-errors';

/** Every read fails with a domain error (UnavailableError, ConflictError…), which the GraphQL layer maps to a code. */
export const dynamoDbReadFailed = rethrowAsDomainError('dynamodb');

/** Reads shared by the adapters of the KPI table: whole-partition queries and opaque page cursors. */

/** Thrown for a cursor the KPI table's adapters did not issue (a client error, not a server fault). */
export class InvalidCursorError extends InvalidArgumentError {
  constructor(cursor: string) {
    super('after', `invalid cursor ${JSON.stringify(cursor)}`);
  }
}

/** Every item of a query, page after page. */
export async function queryAll(doc: DynamoDBDocumentClient, table: string, input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, any> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, TableName: table, ...(startKey ? { ExclusiveStartKey: startKey } : {}) })).catch(dynamoDbReadFailed);
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The plants of the directory (`DIR` partition): listed by the directory, walked by listAlerts across plants. */
export async function listPlantsOf(doc: DynamoDBDocumentClient, table: string): Promise<PlantInfo[]> {
  const items = await queryAll(doc, table, { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': 'DIR', ':prefix': 'PLANT#' } });
  return items.map((i) => ({ enterpriseId: i.enterpriseId, plantId: i.plantId }));
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string): Record<string, any> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object') return value;
  } catch {
    // fall through to the named error
  }
  throw new InvalidCursorError(cursor);
}
